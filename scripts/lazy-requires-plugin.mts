// Build plugin for the main bundle (desktop main and the `hubdeck` CLI): keeps start-up from paying
// for modules a command never uses. Each rewrite checks that the text it expects is there, so a
// dependency update that changes it fails the build instead of silently loading everything again.
import type { Plugin } from 'vite';

/** Modules loaded eagerly by a dependency but needed only on a rare path, as [file, eager, lazy]. */
const REWRITES: [file: string, eager: string, lazy: string][] = [
  // dockerode loads its BuildKit session (gRPC + protobuf, ~65 ms) at import; only buildImage with
  // a session uses it. It stays outside the bundle (1 MB less to read) and loads on first use.
  ['/dockerode/lib/docker.js', "withSession = require('./session'),", "withSession = function () { return require('dockerode/lib/session').apply(this, arguments); },"],
  // Its BuildKit progress decoder (protobufjs) is already required on use; keep it out too.
  ['/dockerode/lib/docker.js', "require('./buildkit')", "require('dockerode/lib/buildkit')"],
  // Its tar packer (tar-fs, tar-stream, bl, readable-stream) only packs build contexts.
  ['/dockerode/lib/util.js', "var tar = require('tar-fs');", "var tar = { pack: function () { return require('tar-fs').pack.apply(null, arguments); } };"],
  // docker-modem loads ssh2 (~30 ms) for ssh:// Docker hosts only.
  ['/docker-modem/lib/modem.js', "ssh = require('./ssh'),", "ssh = function (opt) { return require('./ssh')(opt); },"],
  // It formats every request for its debug log, logging on or not (~2 ms on the first request).
  ['/docker-modem/lib/modem.js', "debug('Sending: %s', util.inspect(", "debug.enabled && debug('Sending: %s', util.inspect("],
  // A Unix socket has no TLS name; without one, Node tests the Host header against its IPv6
  // pattern, compiling that regex (~4 ms) on a command's first Docker request.
  ['/docker-modem/lib/modem.js', 'optionsf.socketPath = socketPath;', "optionsf.socketPath = socketPath; optionsf.servername = '';"],
];

/**
 * Packages left outside the bundle (native parts) whose import is turned into a proxy that loads
 * the package on first property access. Only safe for packages imported by name (`{ utils }`),
 * which the bundle reads as `pkg.utils` where used; the build fails if one is default-imported.
 */
const LAZY_EXTERNALS: string[] = ['ssh2'];

function lazyProxy(name: string): string {
  return `((load) => { let m; return new Proxy({}, { get: (_t, k) => (m ??= load())[k], has: (_t, k) => k in (m ??= load()) }); })(() => require(${JSON.stringify(name)}))`;
}

/**
 * Source folders no entry may load at start-up, only through a dynamic import() on the path that
 * needs them: the fake engine (a demo and test backend, 2.3k lines with a shell tokenizer) is
 * loaded only for `--engine fake`, never by the desktop app or a CLI command's start.
 */
const LAZY_ONLY: string[] = ['/main/engine/fake/'];

/** Modules of `LAZY_ONLY` folders in the chunks `entry` loads at start (its static imports). */
function eagerLazyOnly(bundle: Record<string, { type: string; imports?: string[]; moduleIds?: string[] }>, entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (name: string): void => {
    const chunk = bundle[name];
    if (seen.has(name) || chunk?.type !== 'chunk') return;
    seen.add(name);
    for (const id of chunk.moduleIds ?? []) if (LAZY_ONLY.some((d) => id.replaceAll('\\', '/').includes(d))) found.push(`${name}: ${id}`);
    (chunk.imports ?? []).forEach(visit);
  };
  visit(entry);
  return found;
}

/** Deep imports the rewrites above leave to Node at run time (they resolve from node_modules). */
const RUNTIME_REQUIRES: string[] = ['dockerode/lib/session', 'dockerode/lib/buildkit'];

export function lazyRequires(): Plugin {
  return {
    name: 'hubdeck-lazy-requires',
    // Before Vite's resolver, which would otherwise bundle the deep import.
    enforce: 'pre',
    resolveId(source) {
      return RUNTIME_REQUIRES.includes(source) ? { id: source, external: true } : null;
    },
    transform(code, id) {
      const rules = REWRITES.filter(([file]) => id.replaceAll('\\', '/').endsWith(file));
      if (rules.length === 0) return null;
      let out = code;
      for (const [file, eager, lazy] of rules) {
        if (!out.includes(eager)) throw new Error(`lazy-requires: ${file} no longer contains ${eager}; update scripts/lazy-requires-plugin.mjs`);
        out = out.replace(eager, lazy);
      }
      return { code: out, map: null };
    },
    // bin/compile-cache.js runs the CLI's files as vm.Scripts, which cannot import(): a package
    // the CLI imports dynamically must be bundled (then it is a require of a chunk).
    generateBundle(_options, bundle) {
      const seen = new Set();
      const visit = (name: string): void => {
        const chunk = bundle[name];
        if (seen.has(name) || chunk?.type !== 'chunk') return;
        seen.add(name);
        const dynamic = /^(?!\s*(\*|\/\/)).*(?<![.\w$])import\(\s*["'`]/m.exec(chunk.code);
        if (dynamic) this.error(`lazy-requires: ${name} (loaded by the CLI) keeps an import(): ${dynamic[0].trim().slice(0, 120)}; add the package to externalizeDeps.exclude`);
        [...chunk.imports, ...chunk.dynamicImports].forEach(visit);
      };
      if (bundle['cli.js']) visit('cli.js');
      for (const entry of ['index.js', 'cli.js']) {
        const eager = eagerLazyOnly(bundle, entry);
        if (eager.length) this.error(`lazy-requires: ${entry} loads at start what only a dynamic import() may load: ${eager.slice(0, 3).join(', ')}`);
      }
    },
    renderChunk(code) {
      let out = code;
      for (const name of LAZY_EXTERNALS) {
        const req = `require(${JSON.stringify(name)})`;
        if (out.includes(`__toESM(${req})`)) throw new Error(`lazy-requires: ${name} is default-imported somewhere; import it by name`);
        out = out.replaceAll(req, lazyProxy(name));
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}
