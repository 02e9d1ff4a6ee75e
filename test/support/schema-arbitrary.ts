import fc, { type Arbitrary } from 'fast-check';

// A small generator of JSON values from the OpenAPI 3.0 schemas of the served document (issue 24): the
// subset the document uses (object, array, string with enum/pattern/format/length, integer/number with
// bounds, boolean, nullable, $ref, allOf/oneOf/anyOf, an object's `x-exactly-one-of`: exactly one of
// these properties is given). `valid` draws values the schema accepts;
// `mutations` turns a valid value into ones it refuses, each named for the report.
export type Schema = Record<string, any>;
export type Overrides = Record<string, Arbitrary<unknown>>; // by property name: values that also hold in the service's state

const DAY = 86_400_000;
// The document's description: no string holds NUL or another C0 control character but tab, LF, CR.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDFFF]/;

export class SchemaArbitraries {
  constructor(
    private readonly components: Record<string, Schema>,
    private readonly overrides: Overrides = {},
    private readonly now = Date.now(),
  ) {}

  resolve(schema: Schema): Schema {
    let current = schema;
    while (current?.$ref) current = this.components[current.$ref.split('/').pop()!];
    if (current?.allOf) return current.allOf.map((s: Schema) => this.resolve(s)).reduce((a: Schema, b: Schema) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties }, required: [...(a.required ?? []), ...(b.required ?? [])] }), {});
    return current;
  }

  valid(raw: Schema, name = ''): Arbitrary<unknown> {
    if (name && this.overrides[name]) return this.withNull(raw, this.overrides[name]);
    const schema = this.resolve(raw);
    return this.withNull(schema, this.bare(schema));
  }

  private withNull(schema: Schema, arbitrary: Arbitrary<unknown>): Arbitrary<unknown> {
    return this.resolve(schema)?.nullable ? fc.option(arbitrary, { nil: null, freq: 4 }) : arbitrary;
  }

  private bare(schema: Schema): Arbitrary<unknown> {
    if (schema.oneOf || schema.anyOf) return fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s: Schema) => this.valid(s)));
    if (schema.enum) return fc.constantFrom(...schema.enum.filter((v: unknown) => v !== null));
    switch (schema.type) {
      case 'object': {
        const properties: Record<string, Schema> = schema.properties ?? {};
        const one = exactlyOne(schema);
        const record = Object.fromEntries(Object.entries(properties).filter(([k]) => !one.includes(k)).map(([k, s]) => [k, this.valid(s, k)]));
        const rest = fc.record(record, { requiredKeys: (schema.required ?? []).filter((k: string) => k in record) });
        if (!one.length) return rest;
        const chosen = fc.oneof(...one.map((k) => this.valid(properties[k], k).map((v) => ({ [k]: v }))));
        return fc.tuple(rest, chosen).map(([a, b]) => ({ ...a, ...b }));
      }
      case 'array':
        return fc.array(this.valid(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'string':
        return this.string(schema);
      default:
        return fc.constant({});
    }
  }

  private string(schema: Schema): Arbitrary<string> {
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.min(schema.maxLength ?? 40, 40);
    switch (schema.format) {
      case 'date-time': // within the last six days: API.md's window for client times, stated in the document's descriptions
        return fc.integer({ min: this.now - 6 * DAY, max: this.now - 60_000 }).map((t) => new Date(t).toISOString());
      case 'date':
        return fc.integer({ min: this.now - 30 * DAY, max: this.now }).map((t) => new Date(t).toISOString().slice(0, 10));
      case 'uuid':
        return fc.uuid();
      case 'uri':
        return fc.webUrl({ validSchemes: ['https'] }).filter((s) => s.length <= (schema.maxLength ?? Infinity));
      case 'email':
        return fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), fc.stringMatching(/^[a-z]{2,10}$/)).map(([local, host]) => `${local}@${host}.id`);
    }
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity) && !FORBIDDEN.test(s));
    return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
  }

  /** Values the schema refuses, each with what was changed: one mutation of a valid value. */
  mutations(raw: Schema, value: unknown, path = ''): { where: string; value: unknown }[] {
    const schema = this.resolve(raw);
    const out: { where: string; value: unknown }[] = [];
    const here = path || 'body';
    if (!schema) return out;
    if (value === null) return out;
    if (!schema.nullable) out.push({ where: `${here}: null`, value: null });
    const wrongType = schema.type === 'string' ? 12345 : schema.type === 'object' || schema.type === 'array' ? 'text' : 'text';
    if (schema.type) out.push({ where: `${here}: wrong type`, value: wrongType });
    if (schema.enum) out.push({ where: `${here}: outside the enum`, value: 'NOT_IN_THE_ENUM' });
    if (schema.type === 'string' && typeof value === 'string') {
      if (schema.pattern && !new RegExp(schema.pattern).test('x!')) out.push({ where: `${here}: off the pattern`, value: 'x!' });
      if (schema.maxLength !== undefined) out.push({ where: `${here}: over maxLength`, value: 'a'.repeat(schema.maxLength + 1) });
      if (schema.minLength) out.push({ where: `${here}: under minLength`, value: '' });
      if (schema.format === 'date-time' || schema.format === 'date') out.push({ where: `${here}: not a ${schema.format}`, value: '2026-02-30T25:00:00Z' });
      if (schema.format === 'uuid') out.push({ where: `${here}: not a uuid`, value: 'not-a-uuid' });
      if (schema.format === 'uri') out.push({ where: `${here}: not a uri`, value: 'not a uri' });
    }
    if (schema.type === 'integer' && typeof value === 'number') {
      out.push({ where: `${here}: not an integer`, value: value + 0.5 });
      if (schema.maximum !== undefined) out.push({ where: `${here}: over maximum`, value: schema.maximum + 1 });
      if (schema.minimum !== undefined) out.push({ where: `${here}: under minimum`, value: schema.minimum - 1 });
    }
    if (schema.type === 'number' && typeof value === 'number') {
      if (schema.maximum !== undefined) out.push({ where: `${here}: over maximum`, value: schema.maximum + 1 });
      if (schema.minimum !== undefined) out.push({ where: `${here}: under minimum`, value: schema.minimum - 1 });
    }
    if (schema.type === 'array' && Array.isArray(value)) {
      if (schema.maxItems !== undefined && value.length > 0) out.push({ where: `${here}: over maxItems`, value: Array.from({ length: schema.maxItems + 1 }, () => value[0]) });
      if (schema.minItems) out.push({ where: `${here}: under minItems`, value: [] });
      value.forEach((item, i) => out.push(...this.mutations(schema.items, item, `${here}[${i}]`).map((m) => ({ where: m.where, value: value.map((v, j) => (i === j ? m.value : v)) }))));
    }
    if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
      const object = value as Record<string, unknown>;
      out.push({ where: `${here}: an unknown field`, value: { ...object, unknownField: 1 } });
      for (const key of schema.required ?? []) if (key in object) out.push({ where: `${here}: without required ${key}`, value: omit(object, key) });
      const one = exactlyOne(schema);
      const given = one.filter((k) => k in object);
      if (given.length) out.push({ where: `${here}: none of ${one.join(', ')}`, value: given.reduce(omit, object) });
      const other = one.find((k) => !(k in object));
      if (given.length && other) out.push({ where: `${here}: ${given[0]} and ${other} both`, value: { ...object, [other]: fc.sample(this.valid(schema.properties[other], other), { numRuns: 1, seed: 1 })[0] } });
      for (const [key, item] of Object.entries(object)) {
        const child = schema.properties?.[key];
        if (child) out.push(...this.mutations(child, item, path ? `${path}.${key}` : key).map((m) => ({ where: m.where, value: { ...object, [key]: m.value } })));
      }
    }
    return out;
  }
}

const omit = (object: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));
/** The properties of which exactly one is given (`x-exactly-one-of`, as an operation has for its query). */
const exactlyOne = (schema: Schema): string[] => (schema['x-exactly-one-of'] ?? []).filter((k: string) => k in (schema.properties ?? {}));
