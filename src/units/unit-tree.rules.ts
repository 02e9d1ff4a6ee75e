// DOMAIN.md §16: the organisation tree UID → UP3 → ULP as pure functions over plain data.

export const UNIT_LEVELS = ['UID', 'UP3', 'ULP'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export interface TreeUnit {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
}

/** R-H1: the level a unit's parent has (a UID has none). */
export const PARENT_LEVEL: Record<UnitLevel, UnitLevel | null> = { ULP: 'UP3', UP3: 'UID', UID: null };

/** Any unit code of any level (the query parameters' and the token's shape). */
export const ANY_UNIT_CODE = /^\d{2,5}$/;

/** R-H1: a ULP's code is the 3 digits of its tickets' numbers; a UID's or a UP3's is 2–5 digits. */
export function codeFits(code: string, level: UnitLevel): boolean {
  return level === 'ULP' ? /^\d{3}$/.test(code) : ANY_UNIT_CODE.test(code);
}

export type PlacementRefusal =
  | { kind: 'CODE'; detail: string } // 400 naming code
  | { kind: 'UNKNOWN_PARENT'; detail: string } // 400 naming parentCode
  | { kind: 'CYCLE'; detail: string } // 409
  | { kind: 'LEVEL'; detail: string } // 409: a skipped level, or a parent not one level up
  | { kind: 'LEVEL_IN_USE'; detail: string }; // 409: a level change of a unit that has children or tickets

/** What a unit that exists already holds, for a change of its level. */
export interface UnitUse {
  children: number;
  /** tickets or outages: they belong to ULPs only (R-H1) */
  tickets: boolean;
}

/**
 * R-H1, R-H4: why the unit `next` (its code, level and parent after a PUT) may not be placed in `tree`
 * (the tree as it is, the unit's current state included when it exists), or null. A level changes only
 * while the unit has no children, and a ULP leaves its level only while it has no tickets or outages: a
 * child would be left one level off, a ticket under a unit that is not a ULP.
 */
export function placementRefusal(tree: ReadonlyMap<string, TreeUnit>, next: TreeUnit, use: UnitUse | null): PlacementRefusal | null {
  if (!codeFits(next.code, next.level)) {
    return { kind: 'CODE', detail: next.level === 'ULP' ? 'a ULP code is 3 digits' : `a ${next.level} code is 2–5 digits` };
  }
  const current = tree.get(next.code);
  if (next.parentCode !== null) {
    const parent = tree.get(next.parentCode);
    if (!parent) return { kind: 'UNKNOWN_PARENT', detail: `unit ${next.parentCode} is not registered` };
    for (let at: TreeUnit | undefined = parent, steps = 0; at && steps <= tree.size; at = at.parentCode ? tree.get(at.parentCode) : undefined, steps++) {
      if (at.code === next.code) return { kind: 'CYCLE', detail: `${next.code} would be beneath itself through ${next.parentCode}` };
    }
    const wanted = PARENT_LEVEL[next.level];
    if (wanted === null) return { kind: 'LEVEL', detail: 'a UID has no parent' };
    if (parent.level !== wanted) return { kind: 'LEVEL', detail: `a ${next.level}'s parent is a ${wanted}, and ${parent.code} is a ${parent.level}` };
  } else if (next.level === 'UP3') {
    // R-H1: below UID, a parent one level up; only a ULP may wait for its place (registered before levels)
    return { kind: 'LEVEL', detail: 'a UP3 sits under a UID: parentCode names it' };
  }
  if (current && use && current.level !== next.level) {
    if (use.children > 0) return { kind: 'LEVEL_IN_USE', detail: `${next.code} has ${use.children} units beneath it; move them first` };
    if (current.level === 'ULP' && use.tickets) return { kind: 'LEVEL_IN_USE', detail: `${next.code} has tickets or outages, which belong to ULPs only` };
  }
  return null;
}

/** The tree indexed for scope questions; built once per version of the tree. */
export class UnitTree {
  readonly units: ReadonlyMap<string, TreeUnit>;
  private readonly children = new Map<string, string[]>();
  private readonly ulps = new Map<string, readonly string[]>();

  constructor(
    readonly version: string,
    units: TreeUnit[],
  ) {
    this.units = new Map(units.map((u) => [u.code, u]));
    for (const u of units) if (u.parentCode) this.children.set(u.parentCode, [...(this.children.get(u.parentCode) ?? []), u.code]);
  }

  /**
   * R-H2, R-H3: the ULP codes at or beneath `code`, sorted. A ULP is its own; a code that is not
   * registered is taken as a ULP without tickets (it matches nothing, as before levels existed).
   */
  ulpsUnder(code: string): readonly string[] {
    const known = this.ulps.get(code);
    if (known) return known;
    // a ULP has nothing beneath it (R-H1), so the ULPs of the subtree are its leaves
    const found = this.subtree(code).filter((at) => (this.units.get(at)?.level ?? 'ULP') === 'ULP');
    this.ulps.set(code, found);
    return found;
  }

  /** R-W7, R-H3: `code` and every unit beneath it, of any level, sorted (a code not registered is its own). */
  subtree(code: string): string[] {
    const found: string[] = [];
    const seen = new Set<string>();
    const visit = (at: string) => {
      if (seen.has(at)) return;
      seen.add(at);
      found.push(at);
      for (const child of this.children.get(at) ?? []) visit(child);
    };
    visit(code);
    return found.sort();
  }

  /** Whether `code` is `ancestor` or lies beneath it. */
  isWithin(code: string, ancestor: string): boolean {
    let at: string | null = code;
    for (let steps = 0; at !== null && steps <= this.units.size; steps++) {
      if (at === ancestor) return true;
      at = this.units.get(at)?.parentCode ?? null;
    }
    return false;
  }
}
