import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { FieldError, Problem, ProblemCode } from '../common/problem';
import { FastValidation } from './fast-validation';
import { rememberValidationMetadata } from './validation-metadata';

rememberValidationMetadata();

// Validation errors name the field by its path ("customer.idPel"), as API.md asks.
export function flattenErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenErrors(error.children ?? [], field)];
  });
}

/** The 400 of a validation failure: each field error in `errors`, and all of them in the detail. */
const validationProblem = (fieldErrors: FieldError[]) => new Problem(ProblemCode.VALIDATION, fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '), fieldErrors);

// No coercion: a body field must already have the JSON type of the contract; unknown fields are 400.
export const validationOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => validationProblem(flattenErrors(errors)),
};

/**
 * A route that takes no body (an action such as rotate-secret or resend): none, or `{}`. Any field is
 * refused as the pipe refuses an unknown one (API.md: unknown body fields → 400), and so is a body that
 * is not an object.
 */
export function refuseBodyFields(body: unknown): void {
  if (body === undefined || body === null) return;
  const fields = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : null;
  if (fields?.length === 0) return;
  throw validationProblem(fields ? fields.map((field) => ({ field, message: `property ${field} should not exist` })) : [{ field: 'body', message: 'this endpoint takes no body (or {})' }]);
}

/** A body that passes every rule takes the fast way (FastValidation); everything else, and every error, is the pipe's. */
export class BodyValidationPipe extends ValidationPipe {
  constructor(private readonly fast = new FastValidation()) {
    super(validationOptions);
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype) {
      const entity = this.fast.instance(metadata.metatype, value);
      if (entity !== undefined) return Promise.resolve(entity);
    }
    return super.transform(value, metadata);
  }
}

export const validationPipe = new BodyValidationPipe();
