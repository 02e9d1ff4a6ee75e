import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * A text that is only blanks (spaces, tabs, line ends) is as empty as "" (API.md's required texts: a
 * unit's answer, a reason, a note, a description, a name). "" itself is left to IsNotEmpty, beside which
 * this goes, so that it is named once.
 */
export function IsNotBlank(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    ApiProperty({ pattern: '\\S' })(object, propertyName); // the document says it too: at least one character not a blank
    registerDecorator({
      name: 'isNotBlank',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} should not be empty`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || value === '' || value.trim() !== '' },
    });
  };
}

/** A value present in the body must pass; absent (undefined) is fine; null is not. */
export const isPresent = (_: object, value: unknown) => value !== undefined;

/** For a field the document calls nullable: absent and null are both "not given". */
export const isGiven = (_: object, value: unknown) => value !== undefined && value !== null;

export function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

export function IsIanaTimeZone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Asia/Jakarta`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isIanaTimeZone(value) },
    });
}

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 date-time with an offset (API.md), and a date that exists (no 31 November). */
export function isOffsetDateTime(value: unknown): boolean {
  if (typeof value !== 'string' || !OFFSET_TIME.test(value)) return false;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return false;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const [hh, mm] = value.slice(11, 16).split(':').map(Number);
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d && hh < 24 && mm < 60;
}

// The validators below also describe their field in /docs-json (format), so the document cannot say
// less than the check; `required` stays what the OpenAPI plugin reads from the property's `?`.
export function IsOffsetDateTime(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    ApiProperty({ type: String, format: 'date-time' })(object, propertyName);
    registerDecorator({
      name: 'isOffsetDateTime',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 8601 time with an offset, e.g. 2026-11-23T08:00:00+07:00`, ...options },
      validator: { validate: isOffsetDateTime },
    });
  };
}

/** A calendar date YYYY-MM-DD that exists. */
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    ApiProperty({ type: String, format: 'date' })(object, propertyName);
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a date YYYY-MM-DD that exists`, ...options },
      validator: { validate: isCalendarDate },
    });
  };
}
