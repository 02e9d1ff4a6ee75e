// R-U5: a session that ends while a form is half filled returns to the same form, filled, after
// signing in again. Before the console leaves for the provider it keeps what the page's form fields
// hold (sessionStorage, this tab only) and puts it back once the page is open again; fields that
// appear only after another choice (a section, a unit's list) are filled as they appear.

const KEY = 'apkt-console-drafts';

interface Draft {
  path: string;
  fields: { key: string; value: string; checked?: boolean }[];
}

type FormField = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const fieldsOf = (): FormField[] => [...document.querySelectorAll<FormField>('main form input, main form select, main form textarea')];
const keyOf = (field: FormField): string | null => {
  if (field instanceof HTMLInputElement && (field.type === 'radio' || field.type === 'checkbox')) return field.name ? `${field.name}=${field.value}` : field.id || null;
  return field.id || field.name || null;
};

/** Keeps the fields of the forms on the page, if any was touched. */
export function saveDrafts(path: string): void {
  const fields: Draft['fields'] = [];
  for (const field of fieldsOf()) {
    const key = keyOf(field);
    if (!key || (field instanceof HTMLInputElement && ['password', 'file', 'hidden', 'submit'].includes(field.type))) continue;
    if (field instanceof HTMLInputElement && (field.type === 'radio' || field.type === 'checkbox')) fields.push({ key, value: field.value, checked: field.checked });
    else fields.push({ key, value: field.value });
  }
  if (fields.length) sessionStorage.setItem(KEY, JSON.stringify({ path, fields } satisfies Draft));
}

// React tracks an input's value itself: set it through the element's own setter, then tell React.
function setValue(field: FormField, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')?.set;
  setter?.call(field, value);
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

/** Puts a kept draft of `path` back, over at most `ms` while the page loads what its fields need. */
export function restoreDrafts(path: string, ms = 5000): void {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return;
  const draft = JSON.parse(raw) as Draft;
  if (draft.path !== path) return;
  sessionStorage.removeItem(KEY);
  const pending = new Map(draft.fields.map((f) => [f.key, f]));
  const deadline = Date.now() + ms;
  const step = () => {
    for (const field of fieldsOf()) {
      const key = keyOf(field);
      const saved = key ? pending.get(key) : undefined;
      if (!key || !saved) continue;
      if (field instanceof HTMLInputElement && (field.type === 'radio' || field.type === 'checkbox')) {
        if (field.checked !== saved.checked) field.click();
      } else if (field instanceof HTMLSelectElement && ![...field.options].some((o) => o.value === saved.value)) {
        continue; // its options are still loading
      } else if (field.value !== saved.value) {
        setValue(field, saved.value);
      }
      pending.delete(key);
    }
    if (pending.size && Date.now() < deadline) setTimeout(step, 100);
  };
  setTimeout(step, 0);
}
