import { createHmac, timingSafeEqual } from 'node:crypto';

// R-F1: a change position is a window of transaction ids, not a time. `prev` is the snapshot of the
// read that ended the previous window (null: before the first change), `end` the snapshot that closes
// the window being read (null: the window is complete and the next read opens a new one at its own
// snapshot), and `xid`/`number` how far into that window, in (change_xid, number) order, the client
// has come. docs/change-feed.md explains why following them cannot skip a committed change.
export interface Position {
  prev: string | null;
  end: string | null;
  xid: string | null;
  number: string | null;
}

export const BEGINNING: Position = { prev: null, end: null, xid: null, number: null };

/** The position after a whole window: the next read returns what `end` did not see. */
export const afterWindow = (end: string): Position => ({ prev: end, end: null, xid: null, number: null });

/** The position after one row of the window (prev, end). */
export const insideWindow = (prev: string | null, end: string, xid: string, number: string): Position => ({ prev, end, xid, number });

// A pg_snapshot's text form: xmin:xmax:xip,xip…
const SNAPSHOT = /^\d{1,20}:\d{1,20}:(\d{1,20}(,\d{1,20})*)?$/;
const XID = /^\d{1,20}$/;
const NUMBER = /^[A-Z0-9]{1,14}$/;

/** The lowest transaction id a snapshot may not have seen: every row that matters has change_xid at or above it. */
export const snapshotXmin = (snapshot: string): string => snapshot.slice(0, snapshot.indexOf(':'));

const parseSnapshot = (snapshot: string) => {
  const [xmin, xmax, xip] = snapshot.split(':');
  return { xmin: BigInt(xmin), xmax: BigInt(xmax), xip: xip ? xip.split(',').map(BigInt) : [] };
};

/**
 * R-F1, R-D1: whether every transaction visible in `earlier` is visible in `later` as well, from the two
 * snapshots alone — so that a window (earlier, later] may be read: a window never closes before it
 * opens. A transaction visible in `earlier` is below its xmax and not in its in-progress list; it is
 * visible in `later` when it is below later's xmax and not in later's list. So: earlier's xmax is at most
 * later's, and every id later still sees in progress below earlier's xmax was in progress in earlier too.
 * (A snapshot taken after another on the same primary always covers it; a sampled one taken before a
 * read's own snapshot covers it only when nothing committed in between.)
 */
export function covers(later: string, earlier: string | null): boolean {
  if (earlier === null) return true;
  const a = parseSnapshot(earlier);
  const b = parseSnapshot(later);
  if (a.xmax > b.xmax) return false;
  const running = new Set(a.xip);
  return b.xip.every((x) => x >= a.xmax || running.has(x));
}

/**
 * Positions are signed so that one the service never gave is refused (API.md: 400), instead of being
 * read as a window that could skip changes.
 */
export class PositionCodec {
  constructor(private readonly secret: string) {}

  encode(p: Position): string {
    const body = Buffer.from(JSON.stringify([p.prev, p.end, p.xid, p.number])).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The position, or null when the service never gave it. */
  decode(raw: string): Position | null {
    const dot = raw.indexOf('.');
    if (dot < 1) return null;
    const body = raw.slice(0, dot);
    const signature = Buffer.from(raw.slice(dot + 1));
    const expected = Buffer.from(this.sign(body));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
    try {
      const [prev, end, xid, number] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as (string | null)[];
      const ok =
        (prev === null || SNAPSHOT.test(prev)) && (end === null || SNAPSHOT.test(end)) && (xid === null) === (number === null) &&
        (xid === null || (XID.test(xid) && NUMBER.test(number as string) && end !== null));
      return ok ? { prev, end, xid, number } : null;
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(`ticket-changes:${body}`).digest('base64url').slice(0, 22);
  }
}
