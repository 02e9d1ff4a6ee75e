import { currentBearer, UNAUTHORIZED_EVENT } from './client';
import type { Ticket } from './types';

/** One server-sent event as the spec's parser hands it over (only the fields the feed uses). */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Splits a text/event-stream body into events (the WHATWG parsing rules, minus `retry`): lines end in
 * LF, CR or CRLF; a blank line dispatches; `:` lines are comments (the 15 s heartbeat).
 */
export class SseParser {
  private buffer = '';
  private id: string | null = null;
  private event = '';
  private data: string[] = [];

  push(chunk: string, emit: (event: SseEvent) => void): void {
    this.buffer += chunk;
    for (;;) {
      const end = /\r\n|\r|\n/.exec(this.buffer);
      // a lone CR at the end may be the first half of CRLF: wait for the next chunk
      if (!end || (end[0] === '\r' && end.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      this.line(line, emit);
    }
  }

  private line(line: string, emit: (event: SseEvent) => void): void {
    if (line === '') {
      if (this.data.length > 0) emit({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * R-F3 from the browser: EventSource cannot send a bearer header, so the stream is read with fetch.
 * `onOpen` runs on each connection once the service has fixed the stream's start, so a load made after
 * it misses nothing; `needsLoad` is true while no change has been seen (no position to resume from).
 * A dropped connection resumes with Last-Event-ID, from the last change seen. Returns the function
 * that closes the stream.
 */
export function followTicketChanges(
  unitCode: string | undefined,
  handlers: { onOpen: (needsLoad: boolean) => void; onTicket: (ticket: Ticket) => void; onError: (error: unknown) => void },
): () => void {
  const abort = new AbortController();
  let lastEventId: string | null = null;
  let failures = 0;

  const connect = async (): Promise<void> => {
    const url = new URL('/api/v1/ticket-changes/stream', window.location.origin);
    if (unitCode) url.searchParams.set('unitCode', unitCode);
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const bearer = currentBearer();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (lastEventId !== null) headers['last-event-id'] = lastEventId;
    const response = await fetch(url, { headers, signal: abort.signal, cache: 'no-store' });
    if (response.status === 401) {
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
      abort.abort();
      return;
    }
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    failures = 0;
    handlers.onOpen(lastEventId === null);
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.push(value, (event) => {
        if (event.event !== 'ticket') return;
        handlers.onTicket(JSON.parse(event.data) as Ticket);
        if (event.id !== null) lastEventId = event.id;
      });
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      try {
        await connect();
      } catch (error) {
        if (abort.signal.aborted) return;
        handlers.onError(error);
        failures += 1;
      }
      if (abort.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]));
    }
  })();
  return () => abort.abort();
}
