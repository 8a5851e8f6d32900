/**
 * A shell in a workspace: xterm.js over the hub's terminal WebSocket
 * (`/api/v1/workspaces/<user>/<name>/terminal`, main/server/terminal-stream.ts), signed in by the
 * session cookie the browser already holds. Loaded lazily (React.lazy) so xterm.js (~90 kB gzip)
 * is not part of the first page. Binary frames carry bytes; a JSON text frame carries a resize.
 */
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';

/** ws(s)://<this page's host>/api/v1/workspaces/<user>/<name>/terminal?cols=&rows= */
export function terminalUrl(location: { protocol: string; host: string }, user: string, name: string, cols: number, rows: number): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/workspaces/${encodeURIComponent(user)}/${encodeURIComponent(name)}/terminal?cols=${cols}&rows=${rows}`;
}

/** An inert `<xterm-style>` standing for a `<style>`: its text goes to an adopted CSSStyleSheet. */
function createStyle(doc: Document): HTMLElement {
  const el = doc.createElement('xterm-style');
  el.hidden = true;
  const sheet = new CSSStyleSheet();
  let css = '';
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  Object.defineProperty(el, 'textContent', {
    get: () => css,
    set: (v: string | null) => { css = v ?? ''; sheet.replaceSync(css); },
  });
  const remove = el.remove.bind(el);
  el.remove = () => { doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet); remove(); };
  return el;
}

/**
 * The page's CSP (main/api/csp.ts) refuses inline `<style>` elements, which xterm.js's DOM
 * renderer uses for its theme and cell sizes. Rather than loosen the policy for the whole app,
 * xterm gets a document whose `<style>` elements are inert placeholders: what xterm writes into
 * them goes to a constructable stylesheet (CSSOM, which style-src does not govern), adopted by
 * the page while the element exists; style attributes likewise go through element.style.
 */
export function cspSafeDocument(doc: Document): Document {
  // Cells with their own colours get a style attribute (setAttribute), also refused: set it
  // through the element's CSSOM declaration instead, which the policy allows.
  const cssomStyled = (el: HTMLElement) => {
    const set = el.setAttribute.bind(el);
    el.setAttribute = (name: string, value: string) => { if (name.toLowerCase() === 'style') el.style.cssText = value; else set(name, value); };
    return el;
  };
  return new Proxy(doc, {
    get(target, key) {
      if (key === 'createElement') return (tag: string, o?: ElementCreationOptions) => (tag.toLowerCase() === 'style' ? createStyle(doc) : cssomStyled(target.createElement(tag, o)));
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * Runs xterm's `open`, during which part of xterm (its scrollbar styles) ignores documentOverride
 * and uses the page's document: for that synchronous call only, the document's createElement
 * gives the same inert style elements.
 */
export function openCspSafe(term: Terminal, el: HTMLElement, doc: Document): void {
  const own = doc.createElement.bind(doc);
  doc.createElement = ((tag: string, o?: ElementCreationOptions) => (tag.toLowerCase() === 'style' ? createStyle(doc) : own(tag, o))) as Document['createElement'];
  try {
    term.open(el);
  } finally {
    delete (doc as { createElement?: unknown }).createElement;
  }
}

/** What a terminal tab needs of its transport: the browser's WebSocket, or the app's IPC relay. */
export interface TerminalEvents {
  open(): void;
  data(d: Uint8Array | string): void;
  end(normal: boolean, reason: string): void;
}
export interface TerminalLink {
  send(d: Uint8Array): void;
  resize(cols: number, rows: number): void;
  close(): void;
}
export type TerminalConnector = (cols: number, rows: number, on: TerminalEvents) => TerminalLink;

/** In a browser: the hub that served the page, signed in by its session cookie. */
function webSocketConnector(user: string, name: string): TerminalConnector {
  return (cols, rows, on) => {
    const ws = new WebSocket(terminalUrl(window.location, user, name, cols, rows));
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => on.open();
    ws.onmessage = (e) => on.data(typeof e.data === 'string' ? e.data : new Uint8Array(e.data as ArrayBuffer));
    ws.onclose = (e) => on.end(e.code === 1000, e.reason);
    const ifOpen = () => (ws.readyState === WebSocket.OPEN ? ws : null);
    return { send: (d) => ifOpen()?.send(d), resize: (c, r) => ifOpen()?.send(JSON.stringify({ type: 'resize', cols: c, rows: r })), close: () => ws.close() };
  };
}

/** `connector`: how to reach the terminal (the desktop app relays it); default, the page's hub. */
export default function TerminalView({ user, name, connector }: { user: string; name: string; connector?: TerminalConnector }) {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState('connecting…');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const term = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', screenReaderMode: true, documentOverride: cspSafeDocument(document) });
    const fit = new FitAddon();
    term.loadAddon(fit);
    openCspSafe(term, el, document);
    fit.fit();
    const link = (connector ?? webSocketConnector(user, name))(term.cols, term.rows, {
      open: () => { setStatus('connected'); term.focus(); },
      data: (d) => term.write(d),
      end: (normal, reason) => setStatus(normal ? `session ended (${reason || 'closed'})` : `disconnected: ${reason || 'the hub refused or lost the terminal (is the workspace running?)'}`),
    });
    const encoder = new TextEncoder();
    const input = term.onData((d) => link.send(encoder.encode(d)));
    const resized = term.onResize(({ cols, rows }) => link.resize(cols, rows));
    const observer = new ResizeObserver(() => { try { fit.fit(); } catch { /* hidden: keep the size */ } });
    observer.observe(el);
    return () => {
      observer.disconnect();
      input.dispose();
      resized.dispose();
      link.close();
      term.dispose();
    };
  }, [user, name, connector]);

  return (
    <>
      <p className="muted" role="status" data-testid="terminal-status">Terminal: {status}</p>
      <div ref={host} className="terminal" data-testid="terminal" />
    </>
  );
}
