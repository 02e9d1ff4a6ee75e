import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// The request bodies' constraints as the validation pipe enforces them, read from class-validator's own
// metadata so the document cannot promise less than the service checks (issue 24): @nestjs/swagger's
// plugin maps only literal arguments of a few decorators (a pattern held in a constant, @IsInt,
// @IsNotEmpty and the array sizes were missing). Each `…Dto` schema is completed by its class's name.
type Schema = Record<string, any>;

const TIME_ZONES: string[] = (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('timeZone');

function apply(property: Schema, meta: ValidationMetadata): void {
  const [first] = meta.constraints ?? [];
  const target = meta.each && property.type === 'array' ? (property.items ??= {}) : property;
  switch (meta.name) {
    case 'isNotEmpty':
      if (target.type === 'string') target.minLength = Math.max(target.minLength ?? 0, 1);
      if (target.type === 'array') target.minItems = Math.max(target.minItems ?? 0, 1);
      break;
    case 'arrayNotEmpty':
      property.minItems = Math.max(property.minItems ?? 0, 1);
      break;
    case 'arrayMinSize':
      property.minItems = first;
      break;
    case 'arrayMaxSize':
      property.maxItems = first;
      break;
    case 'isInt':
      target.type = 'integer';
      break;
    case 'matches':
      if (first instanceof RegExp) target.pattern = first.source;
      break;
    case 'min':
      target.minimum = first;
      break;
    case 'max':
      target.maximum = first;
      break;
    case 'minLength':
      target.minLength = first;
      break;
    case 'maxLength':
      target.maxLength = first;
      break;
    case 'isIn':
      if (!target.enum) target.enum = [...first];
      break;
    case 'isIanaTimeZone': // any zone Intl knows is accepted; the document lists the canonical ones
      target.enum ??= TIME_ZONES;
      break;
  }
}

const EXACTLY_ONE_OF = new Map<Function, string[]>();

/**
 * A body of which exactly one of these fields is given (else 400, checked by the service): the schema's
 * `x-exactly-one-of`, as an operation's names its query parameters (customers/history).
 */
export const ExactlyOneOf =
  (...names: string[]): ClassDecorator =>
  (target) =>
    void EXACTLY_ONE_OF.set(target, names);

export function addValidatorConstraints(schemas: Record<string, Schema>): void {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<Function, ValidationMetadata[]>;
    getTargetValidationMetadatas(target: Function, schema: string, always: boolean, strictGroups: boolean): ValidationMetadata[];
  };
  for (const target of storage.validationMetadatas.keys()) {
    const schema = schemas[target.name];
    if (!schema?.properties || !target.name.endsWith('Dto')) continue;
    for (const meta of storage.getTargetValidationMetadatas(target, '', true, false)) { // inherited ones too (OutageStatusDto)
      const property = schema.properties[meta.propertyName];
      if (property && !property.$ref && !property.allOf) apply(property, meta);
    }
  }
  for (const [target, names] of EXACTLY_ONE_OF) if (schemas[target.name]) schemas[target.name]['x-exactly-one-of'] = names;
}
