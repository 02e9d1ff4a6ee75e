import { join } from 'node:path';
import * as ts from 'typescript';
import { SCHEMAS } from '../src/openapi/schemas';

// Issue 24, "declare each shape once", a first step: the answer shapes of the OpenAPI document
// (src/openapi/schemas.ts) are still written by hand beside the view types, so this test reads both and
// fails when the document names a field that no view fills, or a view fills one the document does not
// name (nested objects included). The views' types come from the TypeScript checker, as the compiler
// sees them; the last block proves the comparison fails on a small example.

type Schema = { properties?: Record<string, Schema>; nullable?: boolean; type?: string };

const ROOT = join(__dirname, '..');

/** Component schema → the view types that fill it: [file, exported type] (a Ticket is also the app-problem create's answer). */
const VIEWS: Record<string, [string, string][]> = {
  Ticket: [
    ['src/tickets/ticket.view.ts', 'TicketAnswer'],
    ['src/intake/app-problem-intake.service.ts', 'AppProblemAnswer'],
  ],
  Event: [['src/tickets/ticket.view.ts', 'EventAnswer']],
  Escalation: [['src/escalation/escalation.view.ts', 'EscalationAnswer']],
  Order: [['src/listriqu/listriqu.view.ts', 'OrderAnswer']],
  Coverage: [['src/listriqu/listriqu.view.ts', 'CoverageAnswer']],
  ItsmReference: [['src/itsm/itsm.view.ts', 'ItsmReferenceAnswer']],
  Unit: [['src/units/units.ts', 'UnitView']],
  Policy: [['src/sla/policy.rules.ts', 'PolicyView']],
  Outage: [['src/outages/outage.view.ts', 'OutageAnswer']],
  OutboundMessage: [['src/outbound/outbound.view.ts', 'OutboundMessageAnswer']],
  Erasure: [['src/privacy/privacy.service.ts', 'ErasureView']],
};

/** A view's fields as a tree: field → its own fields when it is an object (null and undefined left out). */
export type Fields = { [field: string]: Fields | null };

function fieldsOf(type: ts.Type, checker: ts.TypeChecker, depth = 0): Fields | null {
  const nonNull = checker.getNonNullableType(type);
  if (depth > 3 || !(nonNull.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) || checker.isArrayType(nonNull)) return null;
  if ((nonNull.symbol?.name ?? '') === 'Date') return null;
  const fields: Fields = {};
  for (const property of checker.getPropertiesOfType(nonNull)) fields[property.name] = fieldsOf(checker.getTypeOfSymbol(property), checker, depth + 1);
  return fields;
}

/** Both trees' fields (what any of the views fills). */
function union(a: Fields, b: Fields): Fields {
  const out: Fields = { ...a };
  for (const [field, sub] of Object.entries(b)) out[field] = out[field] && sub ? union(out[field] as Fields, sub) : (out[field] ?? sub);
  return out;
}

/** The fields each schema's views fill together, read by the TypeScript checker. */
function viewFields(): Map<string, Fields> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const files = [...new Set(Object.values(VIEWS).flatMap((views) => views.map(([file]) => join(ROOT, file))))];
  const program = ts.createProgram(files, config?.options ?? {});
  const checker = program.getTypeChecker();
  const found = new Map<string, Fields>();
  for (const [schema, views] of Object.entries(VIEWS)) {
    for (const [file, name] of views) {
      const source = program.getSourceFile(join(ROOT, file));
      const symbol = source && checker.getExportsOfModule(checker.getSymbolAtLocation(source) as ts.Symbol).find((s) => s.name === name);
      if (!symbol) throw new Error(`${file} exports no ${name}`);
      found.set(schema, union(found.get(schema) ?? {}, fieldsOf(checker.getDeclaredTypeOfSymbol(symbol), checker) ?? {}));
    }
  }
  return found;
}

/** Where a schema and a view's fields differ, as `Schema.path: documented, no view fills it` and the reverse. */
export function shapeMismatches(name: string, schema: Schema, fields: Fields, path = name): string[] {
  const documented = schema.properties ?? {};
  const out: string[] = [];
  for (const field of Object.keys(documented)) {
    if (!(field in fields)) out.push(`${path}.${field}: documented, no view fills it`);
    else if (documented[field].properties && fields[field]) out.push(...shapeMismatches(name, documented[field], fields[field] as Fields, `${path}.${field}`));
  }
  for (const field of Object.keys(fields)) if (!(field in documented)) out.push(`${path}.${field}: filled by the view, not in the document`);
  return out;
}

describe('answer shapes: the document and the views name the same fields', () => {
  const views = viewFields();

  it.each(Object.keys(VIEWS))('%s', (name) => {
    expect(shapeMismatches(name, SCHEMAS[name] as Schema, views.get(name) as Fields)).toEqual([]);
  });
});

describe('the shape check catches what it looks for', () => {
  it('a documented field no view fills, a nested one, and a view field the document lacks', () => {
    const schema: Schema = { properties: { number: {}, rating: { properties: { score: {}, at: {} } }, gone: {} } };
    const fields: Fields = { number: null, rating: { score: null }, extra: null };
    expect(shapeMismatches('Ticket', schema, fields)).toEqual([
      'Ticket.rating.at: documented, no view fills it',
      'Ticket.gone: documented, no view fills it',
      'Ticket.extra: filled by the view, not in the document',
    ]);
  });
});
