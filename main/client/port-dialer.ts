/**
 * Byte streams to a workspace port from the client side — what tunnels and `hubdeck workspace
 * forward` carry their connections over: in-process for the local hub (hub.access.connect, as the
 * local admin), or a WebSocket to a remote hub's port-stream endpoint, authenticated with the
 * token and pinned to the hub's certificate like every other request of the remote client.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import WebSocket, { createWebSocketStream } from 'ws';
import { HubdeckError } from '../core/errors';
import { API_PREFIX } from '../api/endpoints';
import { errorFromBody } from '../api/error-codes';
import type { WorkspaceRef } from '../engine/engine';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { PinnedAgent } from './pinned-agent';

export interface PortDialer {
  /** A stream to `port` of the workspace; a refusal is the hub's error (403, 404, 409…). */
  dial(ref: WorkspaceRef, port: number): Promise<Duplex>;
  close(): void;
}

export function inProcessDialer(hub: Hub, actor: Actor): PortDialer {
  return {
    dial: async (ref, port) => {
      await hub.access.running(actor, ref, 'and connect again');
      return hub.access.connect(actor, ref, port);
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
    dial: (ref, port) => inProcessDialer(hub, { user: ref.user, admin: false }).dial(ref, port),
    close: () => undefined,
  };
}

export function remoteDialer(o: { url: string; token: string; fingerprint?: string }): PortDialer {
  const base = new URL(o.url);
  const secure = base.protocol === 'https:';
  const agent = secure ? (o.fingerprint ? new PinnedAgent(o.fingerprint) : new https.Agent()) : new http.Agent();
  const wsBase = `${secure ? 'wss' : 'ws'}://${base.host}${base.pathname.replace(/\/+$/, '')}`;
  return {
    dial: (ref, port) => new Promise((resolve, reject) => {
      const path = `${API_PREFIX}/workspaces/${encodeURIComponent(ref.user)}/${encodeURIComponent(ref.name)}/ports/${port}/stream`;
      const ws = new WebSocket(`${wsBase}${path}`, { agent, headers: { authorization: `Bearer ${o.token}` }, perMessageDeflate: false });
      ws.once('open', () => resolve(createWebSocketStream(ws)));
      // A refusal comes back as the API's JSON error before any upgrade.
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => reject(refusal(res.statusCode ?? 0, text)));
      });
      ws.once('error', (e) => reject(new HubdeckError('unavailable', `cannot reach the hub at ${o.url}: ${e.message}`)));
    }),
    close: () => agent.destroy(),
  };
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
