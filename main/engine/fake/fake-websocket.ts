/**
 * A WebSocket echo for the fake web app, standing in for Jupyter's kernel channels so proxy tests
 * can prove that upgrades and frames pass through in both directions. The protocol is the `ws`
 * package's; only the echo is ours.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

const echo = new WebSocketServer({ noServer: true });

export function serveWebSocketEcho(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  echo.handleUpgrade(req, socket, head, (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
}
