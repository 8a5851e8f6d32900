/**
 * Server-Sent Events line parser (the `text/event-stream` rules of the HTML standard), kept free of
 * I/O so it can be tested on hand-cut chunks. Network reads split text anywhere — inside a line,
 * between CR and LF — so all state lives here between pushes.
 */

export interface SseEvent {
  /** The `event:` field, or "message" when the event named none. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen on the stream so far (what a reconnect sends as Last-Event-ID). */
  id: string;
}

export class SseParser {
  /** Last `id:` value; survives across events, as the standard requires. */
  lastEventId = '';
  /** The server's `retry:` advice in milliseconds, if it gave one. */
  retryMs: number | undefined;

  private buffer = '';
  private started = false;
  /** A chunk ended in CR: an LF at the start of the next chunk belongs to the same line break. */
  private pendingCr = false;
  private eventType = '';
  private data: string[] = [];

  /** Feeds decoded text; returns the events completed by it, in order. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (this.pendingCr && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.pendingCr = false;
    }
    if (!this.started && text.length > 0) {
      this.started = true;
      // A byte-order mark may open the stream only.
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    this.buffer += text;
    const events: SseEvent[] = [];
    for (let line = this.nextLine(); line !== null; line = this.nextLine()) {
      const e = this.handleLine(line);
      if (e) events.push(e);
    }
    return events;
  }

  /** The stream ended: an event without its closing blank line is dropped, as the standard says. */
  end(): void {
    this.buffer = '';
    this.pendingCr = false;
    this.resetEvent();
  }

  private nextLine(): string | null {
    const i = this.buffer.search(/[\r\n]/);
    if (i < 0) return null;
    const line = this.buffer.slice(0, i);
    let rest = i + 1;
    if (this.buffer[i] === '\r') {
      if (rest === this.buffer.length) this.pendingCr = true;
      else if (this.buffer[rest] === '\n') rest += 1;
    }
    this.buffer = this.buffer.slice(rest);
    return line;
  }

  private handleLine(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null; // comment, used as a heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.applyField(field, value);
    return null;
  }

  private applyField(field: string, value: string): void {
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        // An id with NUL would corrupt the Last-Event-ID header; the standard ignores it.
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): SseEvent | null {
    const hadData = this.data.length > 0;
    const e: SseEvent = { event: this.eventType || 'message', data: this.data.join('\n'), id: this.lastEventId };
    this.resetEvent();
    // A blank line after only `event:`/`id:` lines is not an event.
    return hadData ? e : null;
  }

  private resetEvent(): void {
    this.eventType = '';
    this.data = [];
  }
}
