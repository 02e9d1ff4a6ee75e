import { ApiProperty, ApiSchema, type ApiSchemaOptions, getSchemaPath } from '@nestjs/swagger';

// Issue 24, "a contract that cannot drift": an answer shape is declared once, as a class whose
// properties carry these decorators. @nestjs/swagger reads the classes into the component schemas of
// /docs-json (src/openapi/document.ts registers them), and the view that fills an answer is typed to
// return its class, so the compiler holds the view to the document. The helpers are thin: each property
// says its type, nullability, enum, format, pattern, description in one place, and @Field hands that to
// ApiProperty (refs to other answers as the class, so swagger writes the `$ref`).
//
// Every property of an answer is always present (null when empty) unless declared `optional`.

/** An OpenAPI 3.0 schema object (JSON). */
export type JsonSchema = Record<string, unknown>;

/** What a property holds: a JSON schema fragment, or a reference to another answer class. */
export type Shape =
  | { kind: 'schema'; schema: JsonSchema }
  | { kind: 'ref'; of: AnswerClass; nullable: boolean; array: boolean; description?: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnswerClass = abstract new (...args: any[]) => unknown;

const FIELDS = Symbol('answer-shape:fields');
interface FieldRecord {
  key: string;
  shape: Shape;
  required: boolean;
}

const withDescription = (schema: JsonSchema, description?: string): JsonSchema => (description ? { ...schema, description } : schema);

export const string = (description?: string): Shape => ({ kind: 'schema', schema: withDescription({ type: 'string' }, description) });
/** A string with a regular-expression pattern (a ticket number, a unit code). */
export const matching = (pattern: string, description?: string): Shape => ({ kind: 'schema', schema: withDescription({ type: 'string', pattern }, description) });
/** An ISO 8601 instant, e.g. 2026-11-23T01:00:00.000Z. */
export const time = (description?: string): Shape => ({ kind: 'schema', schema: withDescription({ type: 'string', format: 'date-time' }, description) });
/** A calendar day, e.g. 2026-11-23. */
export const date = (description?: string): Shape => ({ kind: 'schema', schema: withDescription({ type: 'string', format: 'date' }, description) });
export const integer = (description?: string, bounds: { minimum?: number; maximum?: number } = {}): Shape => ({ kind: 'schema', schema: withDescription({ type: 'integer', ...bounds }, description) });
export const number = (description?: string): Shape => ({ kind: 'schema', schema: withDescription({ type: 'number' }, description) });
export const boolean = (description?: string): Shape => ({ kind: 'schema', schema: withDescription({ type: 'boolean' }, description) });
/** One of the listed strings. */
export const oneOf = (values: readonly string[], description?: string): Shape => ({ kind: 'schema', schema: withDescription({ type: 'string', enum: [...values] }, description) });
/** Another answer, by reference (`$ref`). */
export const ref = (of: AnswerClass, description?: string): Shape => ({ kind: 'ref', of, nullable: false, array: false, description });
/** A list of the given shape (a list of answers is a list of `$ref`s). */
export function list(item: Shape, description?: string): Shape {
  if (item.kind === 'ref' && !item.array && !item.nullable && !item.description) return { ...item, array: true, description };
  return { kind: 'schema', schema: withDescription({ type: 'array', items: schemaOf(item) }, description) };
}
/** The shape, or null. A nullable enum lists null among its values (OpenAPI 3.0.3 §4.7.25.1 `nullable`). */
export function nullable(shape: Shape): Shape {
  if (shape.kind === 'ref') return { ...shape, nullable: true };
  const schema = shape.schema;
  return { kind: 'schema', schema: { ...schema, ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}), nullable: true } };
}
/**
 * An object written out in place (not a component schema of its own): the properties of a class declared
 * with @Field, e.g. a ticket's customer. `extend` adds or replaces properties (and their `required`).
 */
export function inline(of: AnswerClass, options: { description?: string; example?: unknown; extend?: Record<string, { shape: Shape; required?: boolean }> } = {}): Shape {
  const base = objectSchema(of);
  const properties = { ...(base.properties as Record<string, JsonSchema>) };
  const required = [...(base.required as string[])];
  for (const [key, { shape, required: isRequired = true }] of Object.entries(options.extend ?? {})) {
    properties[key] = schemaOf(shape);
    if (isRequired && !required.includes(key)) required.push(key);
  }
  return {
    kind: 'schema',
    schema: { type: 'object', ...(options.description ? { description: options.description } : {}), required, properties, ...(options.example ? { example: options.example } : {}) },
  };
}

/** The JSON schema of a shape as it stands in the document. */
export function schemaOf(shape: Shape): JsonSchema {
  if (shape.kind === 'schema') return shape.schema;
  const $ref = getSchemaPath(shape.of as unknown as Function);
  if (shape.array) return withDescription({ type: 'array', items: { $ref } }, shape.description);
  if (shape.nullable) return { ...withDescription({ type: 'object', nullable: true }, shape.description), allOf: [{ $ref }] };
  return shape.description ? { description: shape.description, allOf: [{ $ref }] } : { $ref };
}

/** The object schema of a class's @Field properties (without the class's name, description and example). */
export function objectSchema(of: AnswerClass): JsonSchema {
  const fields = fieldsOf(of);
  return { type: 'object', required: fields.filter((f) => f.required).map((f) => f.key), properties: Object.fromEntries(fields.map((f) => [f.key, schemaOf(f.shape)])) };
}

/** The properties a class declares with @Field, base classes' first. */
export function fieldsOf(of: AnswerClass): FieldRecord[] {
  return (Reflect.getMetadata(FIELDS, of.prototype as object) as FieldRecord[] | undefined) ?? [];
}

/** The documented property names of an answer class. */
export const documentedKeys = (of: AnswerClass): string[] => fieldsOf(of).map((f) => f.key);

/**
 * A property of an answer, declared once: its shape goes to ApiProperty (and so to the document), and the
 * class property's TypeScript type is what the view must fill. `optional` leaves it out of `required`.
 */
export function Field(shape: Shape, options: { optional?: boolean } = {}): PropertyDecorator {
  const required = !options.optional;
  return (target, key) => {
    const own = Reflect.getOwnMetadata(FIELDS, target) as FieldRecord[] | undefined;
    const fields = own ?? [...((Reflect.getMetadata(FIELDS, target) as FieldRecord[] | undefined) ?? [])];
    const record = { key: String(key), shape, required };
    const at = fields.findIndex((f) => f.key === record.key);
    if (at >= 0) fields[at] = record;
    else fields.push(record);
    Reflect.defineMetadata(FIELDS, fields, target);
    if (shape.kind === 'ref') {
      const of = shape.of;
      ApiProperty({
        type: () => (shape.array ? [of] : of),
        required,
        ...(shape.nullable ? { nullable: true } : {}),
        ...(shape.description ? { description: shape.description } : {}),
      })(target, key);
    } else if (shape.schema.type === 'object') {
      // An object written in place keeps its own `required` list; whether the property itself is required is selfRequired.
      ApiProperty({ ...(shape.schema as object), selfRequired: required } as Parameters<typeof ApiProperty>[0])(target, key);
    } else {
      ApiProperty({ ...(shape.schema as object), required } as Parameters<typeof ApiProperty>[0])(target, key);
    }
  };
}

/**
 * An answer's component schema: its name in the document (`Ticket` for class TicketAnswer), description and
 * example (the document shows the example on every answer of the schema).
 */
export function AnswerShape(options: { name: string; description?: string; example?: unknown }): ClassDecorator {
  const { name, description, example } = options;
  // ApiSchema spreads what it is given into the schema; its type names only name and description.
  return ApiSchema({ name, ...(description ? { description } : {}), ...(example ? { example } : {}) } as ApiSchemaOptions);
}

/**
 * The fields of a page of a list: `items` of the item class and the `nextCursor` (API.md paging). An answer
 * class extends it and names itself: `@AnswerShape({ name: 'TicketPage', … }) class TicketPageAnswer extends PageOf(TicketAnswer) {}`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function PageOf<T>(item: abstract new (...args: any[]) => T) {
  class Page {
    @Field(list(ref(item))) items!: T[];
    @Field(nullable(string('Pass as `cursor` for the next page; null on the last page.'))) nextCursor!: string | null;
  }
  return Page;
}

/** The description and example of a page of the named item (the document's words for every page). */
export const pageShape = (name: string, item: string, example: unknown) => ({ name, description: `A page of ${item} items.`, example: { items: [example], nextCursor: null } });

/** An object written in place whose keys are the listed values, each of the same shape (counts by status, say). */
export function record(keys: readonly string[], value: Shape, description?: string): Shape {
  const properties = Object.fromEntries(keys.map((key) => [key, schemaOf(value)]));
  return { kind: 'schema', schema: { type: 'object', ...(description ? { description } : {}), required: [...keys], properties } };
}
