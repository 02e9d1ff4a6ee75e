import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api/client';
import type { Unit } from '../api/types';
import { DEFAULT_ZONE } from '../format';
import { Field } from './field';

/** Every unit (API.md `GET /units`), asked once per page session. */
export const useUnits = () => useQuery({ queryKey: ['units'], queryFn: async () => must(await api.GET('/api/v1/units', {})).items, staleTime: 5 * 60_000 });

/** The unit's own time zone (API.md: `timeZone`, default Asia/Jakarta), for its times entered and shown. */
export function useZoneOf(): (unitCode: string | null | undefined) => string {
  const units = useUnits();
  return (unitCode) => units.data?.find((u) => u.code === unitCode)?.timeZone ?? DEFAULT_ZONE;
}

/** The units at or beneath `root` (every unit when null), depth first, with their depth for indenting. */
function subtree(units: Unit[], root: string | null): { unit: Unit; depth: number }[] {
  const children = new Map<string | null, Unit[]>();
  for (const u of units) children.set(u.parentCode ?? null, [...(children.get(u.parentCode ?? null) ?? []), u]);
  const out: { unit: Unit; depth: number }[] = [];
  const visit = (u: Unit, depth: number) => {
    out.push({ unit: u, depth });
    for (const c of children.get(u.code) ?? []) visit(c, depth + 1);
  };
  if (root === null) for (const u of children.get(null) ?? []) visit(u, 0);
  else {
    const top = units.find((u) => u.code === root);
    if (top) visit(top, 0);
  }
  return out;
}

/**
 * R-H2, R-H3: a tree picker for people whose scope is above a ULP (a UP3 or UID unit, or an admin):
 * one native select, each unit indented under its parent, so a keyboard and a screen reader use it
 * as any select. Hidden for a ULP's people, whose scope is one unit.
 */
export function UnitPicker({
  root,
  value,
  onChange,
  allLabel,
  onlyUlp,
  required,
}: {
  root: string | null;
  value: string;
  onChange: (code: string) => void;
  allLabel?: string;
  /** tickets and outages belong to ULPs only (R-H1): UID and UP3 stay in the tree but cannot be chosen */
  onlyUlp?: boolean;
  required?: boolean;
}) {
  const units = useUnits();
  const options = subtree(units.data ?? [], root);
  if (root !== null && options.length <= 1) return null;
  return (
    <Field label="Unit (UID → UP3 → ULP)">
      {(p) => (
        <select {...p} required={required} value={value} onChange={(e) => onChange(e.target.value)}>
          {allLabel !== undefined && <option value="">{allLabel}</option>}
          {options.map(({ unit, depth }) => (
            <option key={unit.code} value={unit.code} disabled={onlyUlp && unit.level !== 'ULP'}>
              {`${'\u2003'.repeat(depth)}${unit.level} ${unit.code} — ${unit.name}`}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
