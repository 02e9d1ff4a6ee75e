import { useEffect, useState } from 'react';

// Paths under /console (the service answers index.html for each, so they are deep links).
export const BASE = '/console';
const CHANGE = 'apkt-navigate';

export function navigate(path: string, replace = false): void {
  const url = BASE + path;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

const current = () => window.location.pathname.replace(/^\/console/, '').replace(/\/$/, '') || '/';

/** The page path below /console, following links, back and forward. */
export function usePath(): string {
  const [path, setPath] = useState(current);
  useEffect(() => {
    const update = () => setPath(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return path;
}
