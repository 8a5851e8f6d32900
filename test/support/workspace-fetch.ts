/**
 * Reaching workspaces on their own origins from tests: `*.localhost` resolved to loopback (as browsers
 * and the app do), with fetch and WebSocket.
 */
import { Agent, fetch as undiciFetch, type RequestInit as UndiciInit } from 'undici';
import WebSocket from 'ws';
import { loopbackLookup } from '../../main/client/loopback-lookup';
import { workspaceUrl, type WebAccess } from '../../main/core/workspace-origin';

const agent = new Agent({ connect: { lookup: loopbackLookup as never } });

/** fetch that reaches `*.localhost` hosts (redirects not followed unless asked). */
export async function wsFetch(url: string, init: UndiciInit = {}): Promise<Response> {
  return (await undiciFetch(url, { redirect: 'manual', ...init, dispatcher: agent })) as unknown as Response;
}

/** A WebSocket to a `*.localhost` host. */
export function wsSocket(url: string, headers: Record<string, string> = {}): WebSocket {
  return new WebSocket(url, { headers, lookup: loopbackLookup as never });
}

/** The workspace's address on a hub with this web access (what the API's `url` field says). */
export function addressOf(web: WebAccess | null, user: string, name: string, rest = ''): string {
  if (!web) throw new Error('the hub serves no web pages');
  return `${workspaceUrl(web, { user, name })}${rest}`;
}
