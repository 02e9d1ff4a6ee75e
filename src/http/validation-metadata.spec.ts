import { getMetadataStorage, IsInt, IsString, registerDecorator, validateSync } from 'class-validator';
import { rememberValidationMetadata } from './validation-metadata';

// Issue 30: a class's validation metadata is worked out once, not on every validate, and worked out
// again should a decorator register more afterwards.
class Base {
  @IsString()
  name!: string;
}
class Derived extends Base {
  @IsInt()
  count!: number;
}

describe('rememberValidationMetadata', () => {
  const storage = getMetadataStorage();
  const uncached = storage.getTargetValidationMetadatas.bind(storage);
  beforeAll(() => rememberValidationMetadata(storage));

  it('answers as class-validator does, inherited rules included, and the same list each time', () => {
    const first = storage.getTargetValidationMetadatas(Derived, '', false, false, undefined);
    expect(first.map((m) => m.propertyName).sort()).toEqual(uncached(Derived, '', false, false, undefined).map((m) => m.propertyName).sort());
    expect(first.map((m) => m.propertyName).sort()).toEqual(['count', 'name']);
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false, undefined)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    // other options, another answer
    expect(storage.getTargetValidationMetadatas(Derived, '', false, true, ['g'])).not.toBe(first);
  });

  it('validates as before', () => {
    const bad = Object.assign(new Derived(), { name: 7, count: 'x' });
    expect(validateSync(bad).map((e) => e.property).sort()).toEqual(['count', 'name']);
    expect(validateSync(Object.assign(new Derived(), { name: 'a', count: 1 }))).toEqual([]);
  });

  it('sees a rule registered after a lookup', () => {
    expect(validateSync(Object.assign(new Derived(), { name: 'a', count: 1 }))).toEqual([]);
    registerDecorator({
      target: Derived,
      propertyName: 'name',
      validator: { validate: (value: unknown) => value !== 'a', defaultMessage: () => 'not a' },
    });
    expect(validateSync(Object.assign(new Derived(), { name: 'a', count: 1 })).map((e) => e.property)).toEqual(['name']);
  });
});
