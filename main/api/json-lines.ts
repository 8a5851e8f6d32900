/** Splits a text stream into JSON documents, one per line (application/x-ndjson), across chunks. */
export class JsonLines {
  private buffer = '';

  *push(chunk: string): Generator<unknown> {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
}
