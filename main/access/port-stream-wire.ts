/**
 * The port stream's wire form: a TCP byte stream carried over a WebSocket, whole — half-close
 * included. A plain WebSocket stream (ws's createWebSocketStream) closes the socket when one side
 * has sent all it will, which cuts off the other direction: `nc hub 7000 < request` would lose the
 * answer. Here data travels as binary messages and the end of one direction as a text message
 * `eof`; the WebSocket closes once both directions have ended, or at once on an error. Both ends
 * (the hub's port stream and the client's dialer) speak it under the subprotocol below.
 */
import { Duplex } from 'node:stream';
import type WebSocket from 'ws';

export const PORT_STREAM_PROTOCOL = 'hubdeck-port.1';
const EOF = 'eof';

/** A duplex over `ws` (open, speaking PORT_STREAM_PROTOCOL) that keeps each direction's end. */
export function portStreamDuplex(ws: WebSocket): Duplex {
  let sentEof = false;
  let gotEof = false;
  const closeWhenDone = () => { if (sentEof && gotEof) ws.close(1000); };
  const duplex = new Duplex({
    allowHalfOpen: true,
    read: () => ws.resume(),
    write: (chunk: Buffer, _enc, done) => ws.send(chunk, { binary: true }, done),
    final: (done) => ws.send(EOF, { binary: false }, (err) => {
      sentEof = true;
      closeWhenDone();
      done(err);
    }),
    destroy: (err, done) => {
      // An error ends the peer's side too (it sees a broken stream, not a clean end).
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
        if (err) ws.terminate();
        else ws.close(1000);
      }
      done(err);
    },
  });
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) {
      if (data.toString() !== EOF || gotEof) return void duplex.destroy(new Error('port stream: unexpected control message'));
      gotEof = true;
      duplex.push(null);
      return closeWhenDone();
    }
    if (gotEof) return void duplex.destroy(new Error('port stream: data after its end'));
    if (!duplex.push(data)) ws.pause();
  });
  // A close before both ends were said is a broken link, not the end of the data. (After both,
  // the duplex ends by itself once its reader has taken what is left.)
  ws.once('close', () => { if (!(sentEof && gotEof)) duplex.destroy(new Error('the port stream was cut off')); });
  ws.on('error', (e) => duplex.destroy(e));
  return duplex;
}
