// R-U5: what a page shows, kept across a sign-in forced mid-work (a 401, a session ended at the
// provider) as its form fields are (drafts.ts): the ticket open on the unit dashboard, the item the
// back office holds. A page names what it would keep; the console keeps it (sessionStorage, this tab
// only) just before it leaves for the provider, and the page takes it back once as it opens again.
// Only then: a reload or a new tab starts empty.

const KEY = 'apkt-console-kept-views';

interface Kept {
  path: string;
  views: Record<string, unknown>;
}

const keepers = new Map<string, () => unknown>();

/** While mounted, `read` gives what is to be kept under `name` (null: nothing). Returns the unregistration. */
export function keepAcrossSignIn(name: string, read: () => unknown): () => void {
  keepers.set(name, read);
  return () => {
    if (keepers.get(name) === read) keepers.delete(name);
  };
}

/** Before leaving for the provider: what every mounted page would keep, for `path`. */
export function saveKeptViews(path: string): void {
  const views: Record<string, unknown> = {};
  for (const [name, read] of keepers) {
    const value = read();
    if (value !== null && value !== undefined) views[name] = value;
  }
  if (Object.keys(views).length) sessionStorage.setItem(KEY, JSON.stringify({ path, views } satisfies Kept));
  else sessionStorage.removeItem(KEY);
}

/** What was kept under `name` for `path`, once: later calls (and other paths) get null. */
export function takeKeptView<T>(name: string, path: string): T | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const kept = JSON.parse(raw) as Kept;
  if (kept.path !== path || !(name in kept.views)) return null;
  const value = kept.views[name] as T;
  delete kept.views[name];
  if (Object.keys(kept.views).length) sessionStorage.setItem(KEY, JSON.stringify(kept));
  else sessionStorage.removeItem(KEY);
  return value;
}
