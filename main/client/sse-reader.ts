/**
 * Server-Sent Events read from decoded text chunks, on `eventsource-parser` (the ecosystem's
 * parser for the `text/event-stream` rules: lines cut anywhere, CR/LF/CRLF, comments, `retry:`).
 * What this adds is what the hub's two readers (event-feed, JupyterHub progress) want and the
 * parser leaves to its caller: events handed back in order from each push, the "message" default
 * type, the last event id kept across events (what a reconnect sends as Last-Event-ID), and a
 * byte-order mark stripped as text (the parser only knows it as UTF-8 bytes read as latin1), and a
 * CR that ends a chunk taken as the line break it is (the parser waits for the next chunk to see if
 * an LF follows, which would hold a CR-only server's last event back until its next bytes).
 *
 * One difference from the standard, kept: an `id:` in a block without `data:` is dropped by the
 * parser, so it does not move the last id. The hub always sends `id:` with `data:`; JupyterHub
 * sends no ids.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` field, or "message" when the event named none. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen on the stream so far, carried by an event (what a reconnect sends). */
  id: string;
}

export class SseReader {
  /** Last `id:` that came with an event; survives across events, as the standard requires. */
  lastEventId = '';
  /** The server's `retry:` advice in milliseconds, if it gave one. */
  retryMs: number | undefined;

  private started = false;
  /** The last chunk ended in CR, fed as CRLF: an LF opening this chunk is that same line break. */
  private pendingCr = false;
  private completed: SseEvent[] = [];
  private readonly parser: EventSourceParser = createParser({
    onEvent: (e) => {
      if (e.id !== undefined) this.lastEventId = e.id;
      this.completed.push({ event: e.event ?? 'message', data: e.data, id: this.lastEventId });
    },
    onRetry: (ms) => (this.retryMs = ms),
    // Unknown fields and a bad `retry:` are ignored, as the standard says: nothing to report.
  });

  /** Feeds decoded text; returns the events completed by it, in order. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      // A byte-order mark may open the stream only.
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.pendingCr && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.pendingCr = false;
    }
    if (text.endsWith('\r')) {
      text += '\n';
      this.pendingCr = true;
    }
    this.parser.feed(text);
    const events = this.completed;
    this.completed = [];
    return events;
  }

  /** The stream ended: an event without its closing blank line is dropped, as the standard says. */
  end(): void {
    this.pendingCr = false;
    this.parser.reset();
  }
}
