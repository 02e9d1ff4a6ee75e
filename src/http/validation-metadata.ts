import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const installed = new WeakSet<Storage>();

/**
 * class-validator (0.15.1, the latest) works out a class's validation metadata again on every `validate`:
 * it filters the class's list and walks every class it knows with `instanceof` for inherited rules, per
 * nested object too. The metadata is fixed once the decorators have run (at module load), so the answer is
 * kept per class and options (and its grouping by property), and forgotten if a decorator ever registers
 * more (issue 30: 1.6 % of the service's busy samples in a create burst; bench/HISTORY.md). Once per storage.
 */
export function rememberValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (installed.has(storage)) return;
  installed.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  let kept = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? '\u0002'}`;
    let byOptions = kept.get(target);
    if (!byOptions) kept.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  // and grouped by property once per list kept (the executor only reads the groups)
  const group = storage.groupByPropertyName.bind(storage);
  const grouped = new WeakMap<object, ReturnType<Storage['groupByPropertyName']>>();
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const add = storage[method].bind(storage) as (...args: unknown[]) => void;
    (storage as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      kept = new Map();
      add(...args);
    };
  }
}
