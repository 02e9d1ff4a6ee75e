// A server-sent-events client for the tests: reads the stream as it arrives and hands out its events.
export interface ServerEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export class EventStream {
  readonly events: ServerEvent[] = [];
  readonly comments: string[] = [];
  private taken = 0;
  private notify: (() => void) | null = null;
  private ended = false;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly abort: AbortController,
  ) {}

  static async open(baseUrl: string, path: string, token: string, lastEventId?: string): Promise<EventStream> {
    const abort = new AbortController();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const response = await fetch(baseUrl + path, { headers, signal: abort.signal });
    const stream = new EventStream(response.status, response.headers, abort);
    if (response.body) void stream.read(response.body);
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        this.notify?.();
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
    this.notify?.();
  }

  private parse(block: string): void {
    const event: ServerEvent = { id: undefined, event: undefined, data: '' };
    let isEvent = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else {
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        isEvent = true;
        if (field === 'id') event.id = value;
        if (field === 'event') event.event = value;
        if (field === 'data') event.data += value;
      }
    }
    if (isEvent) this.events.push(event);
  }

  /** The next `n` events not taken yet, waiting for them up to `timeoutMs`. */
  async take(n: number, timeoutMs = 10_000): Promise<ServerEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length - this.taken < n) {
      if (this.ended) throw new Error(`stream ended after ${this.events.length} events`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`waited ${timeoutMs} ms for ${n} events, have ${this.events.length - this.taken}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const events = this.events.slice(this.taken, this.taken + n);
    this.taken += n;
    return events;
  }

  /** Waits until a comment matching `pattern` arrives. */
  async comment(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.comments.some((c) => pattern.test(c))) {
      if (Date.now() > deadline || this.ended) throw new Error(`no comment ${pattern}; have ${JSON.stringify(this.comments)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Events received but not taken. */
  get pending(): number {
    return this.events.length - this.taken;
  }

  close(): void {
    this.abort.abort();
  }
}
