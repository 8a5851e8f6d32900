/**
 * Byte streams to a workspace port from the client side — what tunnels and `hubdeck workspace
 * forward` carry their connections over: in-process for the local hub (hub.access.connect, as the
 * local admin), or a WebSocket to a remote hub's port-stream endpoint, authenticated with the
 * token and pinned to the hub's certificate like every other request of the remote client.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { HubdeckError } from '../core/errors';
import { API_PREFIX } from '../api/endpoints';
import { errorFromBody } from '../api/error-codes';
import type { WorkspaceRef } from '../engine/engine';
import { ownerActor, type Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { PinnedAgent } from './pinned-agent';
import { PORT_STREAM_PROTOCOL, portStreamDuplex } from '../access/port-stream-wire';

export interface PortDialer {
  /** A stream to `port` of the workspace; a refusal is the hub's error (403, 404, 409…). */
  dial(ref: WorkspaceRef, port: number): Promise<Duplex>;
  close(): void;
}

export function inProcessDialer(hub: Hub, actor: Actor): PortDialer {
  return {
    dial: async (ref, port) => {
      await hub.access.running(actor, ref, 'and connect again');
      // As the remote hub's port stream does: a tunnel reaches the workspace's loopback.
      return hub.access.connect(actor, ref, port, { to: 'loopback' });
    },
    close: () => undefined,
  };
}

/**
 * The local hub's dialer: whoever runs the local hub owns this machine's workspaces (as the proxy's
 * agents do, each stream is opened as the workspace's owner), so the hub's admin-access rule, made
 * for team hubs, does not stand between a desktop user and a tunnel to their own workspace.
 */
export function ownerDialer(hub: Hub): PortDialer {
  return {
    dial: (ref, port) => inProcessDialer(hub, ownerActor(ref)).dial(ref, port),
    close: () => undefined,
  };
}

/** How long a dial waits for the hub's answer to the upgrade. */
export const HANDSHAKE_MS = 10_000;
/** Between pings on an open stream; a ping still unanswered at the next one ends it. */
export const HEARTBEAT_MS = 20_000;

export function remoteDialer(o: { url: string; token: string; fingerprint?: string }): PortDialer {
  const base = new URL(o.url);
  const secure = base.protocol === 'https:';
  const agent = secure ? (o.fingerprint ? new PinnedAgent(o.fingerprint) : new https.Agent()) : new http.Agent();
  const wsBase = `${secure ? 'wss' : 'ws'}://${base.host}${base.pathname.replace(/\/+$/, '')}`;
  return {
    // ws is loaded on the first dial, not when the CLI starts (most commands never dial).
    dial: async (ref, port) => dialWith((await import('ws')).default, ref, port),
    close: () => agent.destroy(),
  };

  function dialWith(WebSocket: typeof import('ws').default, ref: WorkspaceRef, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const path = `${API_PREFIX}/workspaces/${encodeURIComponent(ref.user)}/${encodeURIComponent(ref.name)}/ports/${port}/stream`;
      // A hub that does not answer (a dropped network, a blackholed route) is a failed dial after
      // HANDSHAKE_MS, which the forwarder retries, rather than a connection hanging for minutes.
      const ws = new WebSocket(`${wsBase}${path}`, [PORT_STREAM_PROTOCOL], { agent, headers: { authorization: `Bearer ${o.token}` }, perMessageDeflate: false, handshakeTimeout: HANDSHAKE_MS });
      ws.once('open', () => {
        keepAlive(ws);
        resolve(portStreamDuplex(ws));
      });
      // A refusal comes back as the API's JSON error before any upgrade.
      ws.once('unexpected-response', (req, res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          req.destroy();
          reject(refusal(res.statusCode ?? 0, text));
        });
      });
      // `on`, not `once`: a second error (a timeout after a reset) must not go unhandled.
      ws.on('error', (e) => reject(new HubdeckError('unavailable', `cannot reach the hub at ${o.url}: ${e.message}`)));
    });
  }
}

/**
 * Pings the hub every HEARTBEAT_MS and ends the stream when a ping goes unanswered: a link that
 * died without a FIN (a laptop that slept, a dropped VPN) closes the local connection, so the
 * application notices and its next connection dials again, instead of hanging on a dead socket.
 */
function keepAlive(ws: WebSocket): void {
  let answered = true;
  ws.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (!answered) return ws.terminate();
    answered = false;
    ws.ping();
  }, HEARTBEAT_MS);
  timer.unref();
  ws.once('close', () => clearInterval(timer));
}

function refusal(status: number, text: string): Error {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: errorFromBody words it from the status and text
  }
  return errorFromBody(status, body, text);
}
