import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationArguments, ValidationOptions } from 'class-validator';

// class-transformer's metadata (@Type, @Transform, @Expose…) is not in its public API; @nestjs/mapped-types
// reads it from the same module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage };

type Storage = ReturnType<typeof getMetadataStorage>;
type Metadata = ReturnType<Storage['getTargetValidationMetadatas']>[number];
type Constraint = ReturnType<Storage['getTargetValidatorConstraints']>[number];
type Class = new () => object;

interface Check {
  metadata: Metadata;
  constraint: Constraint;
}

interface Property {
  name: string;
  /** `@ValidateIf`: the property's rules apply only when every condition holds */
  conditions: Metadata[];
  checks: Check[];
  /** the class of a `@ValidateNested` object (its `@Type`) */
  nested?: Compiled;
}

interface Compiled {
  type: Class;
  properties: Property[];
  byName: Map<string, Property>;
}

/**
 * A body that passes is turned into its class without class-transformer and class-validator's
 * general machinery (issue 30: about 0.1 ms of the service's CPU per create): the same rules (each
 * decorator's own `validate`, with the arguments class-validator gives it), read from the same
 * metadata, on an instance built as `plainToInstance` builds it. It only ever says "valid, here is the
 * instance" or "ask the pipe": anything outside the plain shapes it knows — an array, an unknown or
 * missing nested class, a rule that is asynchronous, per item (`each`) or in groups, a class with
 * class-transformer options — and every body that breaks a rule goes to the `ValidationPipe`, so the
 * answers for bad input (which rules, which messages) stay class-validator's own. A test compares the
 * two on every DTO of the service with valid and broken bodies (`fast-validation.spec.ts`).
 */
export class FastValidation {
  private readonly compiled = new Map<Function, Compiled | null>();

  constructor(
    private readonly storage: Storage = getMetadataStorage(),
    private readonly transformer: TransformerStorage = defaultMetadataStorage,
  ) {}

  /** The instance of `type` that `value` validates to, or undefined: ask the pipe. */
  instance(type: Function, value: unknown): object | undefined {
    const compiled = this.compile(type);
    return compiled ? this.build(compiled, value) : undefined;
  }

  /** Whether bodies of `type` can take the fast way at all (tests). */
  covers(type: Function): boolean {
    return this.compile(type) !== null;
  }

  private compile(type: Function, seen = new Set<Function>()): Compiled | null {
    const known = this.compiled.get(type);
    if (known !== undefined) return known;
    const compiled = seen.has(type) ? null : this.tryCompile(type as Class, new Set(seen).add(type));
    this.compiled.set(type, compiled);
    return compiled;
  }

  private tryCompile(type: Class, seen: Set<Function>): Compiled | null {
    // the metadata class-validator reads for a validate without groups (ValidationPipe's options)
    const metadatas = this.storage.getTargetValidationMetadatas(type, undefined as unknown as string, false, false, undefined);
    if (!metadatas.length) return null;
    if (this.transformer.getStrategy(type) !== 'none' || this.transformer.getExposedMetadatas(type).length || this.transformer.getExcludedMetadatas(type).length) {
      return null;
    }
    const grouped = this.storage.groupByPropertyName(metadatas);
    let fresh: object;
    try {
      fresh = new type();
    } catch {
      return null;
    }
    // whitelist: class-validator looks at every own key of the instance, class fields included
    if (Object.keys(fresh).some((key) => !grouped[key]?.length)) return null;
    const properties: Property[] = [];
    for (const [name, list] of Object.entries(grouped)) {
      if (Object.getOwnPropertyDescriptor(type.prototype, name)) return null; // an accessor or method
      if (this.transformer.findTransformMetadatas(type, name, TransformationType.PLAIN_TO_CLASS).length) return null;
      const property: Property = { name, conditions: [], checks: [] };
      let nested = false;
      for (const metadata of list) {
        if (metadata.each || metadata.groups?.length || metadata.always) return null;
        switch (metadata.type) {
          case ValidationTypes.CONDITIONAL_VALIDATION:
            property.conditions.push(metadata);
            break;
          case ValidationTypes.IS_DEFINED:
          case ValidationTypes.CUSTOM_VALIDATION:
            for (const constraint of this.storage.getTargetValidatorConstraints(metadata.constraintCls)) {
              if (constraint.async) return null;
              property.checks.push({ metadata, constraint });
            }
            break;
          case ValidationTypes.NESTED_VALIDATION:
            nested = true;
            break;
          case ValidationTypes.WHITELIST:
            break;
          default:
            return null; // promise validation, or a type this does not know
        }
      }
      const typed = this.transformer.findTypeMetadata(type, name);
      if (typed || nested) {
        if (!typed || !nested || typed.options?.discriminator) return null;
        const inner = typed.typeFunction();
        if (typeof inner !== 'function') return null;
        const compiledInner = this.compile(inner, seen);
        if (!compiledInner) return null;
        property.nested = compiledInner;
      }
      properties.push(property);
    }
    return { type, properties, byName: new Map(properties.map((p) => [p.name, p])) };
  }

  private build(compiled: Compiled, value: unknown): object | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    // a plain object (of any realm): its prototype is an Object.prototype, whose own prototype is null
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === null || Object.getPrototypeOf(prototype) !== null) return undefined;
    const plain = value as Record<string, unknown>;
    const entity = new compiled.type() as Record<string, unknown>;
    // as plainToInstance: the body's keys in order, primitives as they are, nested objects as their class
    for (const key of Object.keys(plain)) {
      const property = compiled.byName.get(key);
      if (!property) return undefined; // unknown (whitelist), or __proto__ / constructor / prototype
      const item = plain[key];
      if (item !== null && typeof item === 'object') {
        if (!property.nested) return undefined;
        const inner = this.build(property.nested, item);
        if (inner === undefined) return undefined;
        entity[key] = inner;
      } else if (item === null || typeof item === 'string' || typeof item === 'boolean' || typeof item === 'number') {
        if (property.nested && item !== null) return undefined;
        entity[key] = item;
      } else {
        return undefined;
      }
    }
    return this.valid(compiled, entity) ? entity : undefined;
  }

  /** class-validator's `performValidations`, for a yes or no; nested instances were checked as they were built. */
  private valid(compiled: Compiled, entity: Record<string, unknown>): boolean {
    for (const property of compiled.properties) {
      const item = entity[property.name];
      let applies = true;
      for (const condition of property.conditions) applies = (condition.constraints[0] as NonNullable<ValidationOptions['validateIf']>)(entity, item) && applies;
      if (!applies) continue;
      for (const { metadata, constraint } of property.checks) {
        if (metadata.validateIf && !metadata.validateIf(entity, item)) continue;
        const args: ValidationArguments = { targetName: compiled.type.name, property: metadata.propertyName, object: entity, value: item, constraints: metadata.constraints };
        const answer: unknown = constraint.instance.validate(item, args);
        if (!answer || typeof (answer as { then?: unknown }).then === 'function') return false;
      }
      // class-validator's own error for a nested property that holds no object
      if (property.nested && item !== undefined && (item === null || typeof item !== 'object')) return false;
    }
    return true;
  }
}
