// The layer rule of docs/architecture.md as an allow-list (VS Code's "code-layering" / "code-import-patterns"
// style): the folder a file sits in decides what it may import. Every import, export-from, dynamic
// import(), require() and TS `import('x')` type is checked against the file's layer in LAYERS. A file
// in no listed folder may import nothing until its layer is added, so a new folder is a decision, not
// an accident. Matching is textual (no file-system lookups): relative specifiers are resolved to
// repo-relative paths and compared, extensions ignored, with patterns where `*` is one path segment
// and `/**` the folder itself or anything below it.
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = 'LAYERS in scripts/eslint-layers.mjs';

/** Package entries: a package name (subpaths included), `node:x` for one builtin, NODE for all. */
const NODE = 'node:*';
/** Engine files the hub side may use: the interface and its helpers, not the factory nor backends. */
const ENGINE_API = ['main/engine/engine.ts', 'main/engine/wait-ready.ts', 'main/engine/exec-wrap.ts', 'main/engine/relay.ts'];
const ENGINE_FACTORY = ['main/engine/engine.ts', 'main/engine/create-engine.ts'];
const PRELOAD = ['preload/**', 'main/api/**'];
const PLATFORM = 'main/platform/**';
/**
 * What main/api runs of main/core: errors and the field rules its request schemas (api/requests.ts)
 * are made of. The API is the floor under the hub: it never imports main/hub, not even its types.
 */
const API_CORE = ['errors', 'validation', 'sizes', 'image-ref', 'names', 'gpus', 'ssh-public-key', 'mounts', 'invite-link', 'workspace-spec']
  .map((m) => `main/core/${m}.ts`);

/**
 * One row per layer, first match wins. `imports`: repo paths a file may import; `types`: paths it
 * may reach with type-only imports (`import type`, `export type`, `import('x').T`) as well.
 */
export const LAYERS = [
  { layer: 'test and tooling', files: ['test/**', 'scripts/**', 'bin/**', 'deploy/**', '*.config.*'], unrestricted: true },
  { layer: 'main/core', files: ['main/core/**'], packages: ['zod', 'node:crypto'], imports: ['main/core/**'] },
  {
    layer: 'main/api', files: ['main/api/**'], packages: ['zod'],
    imports: ['main/api/**', ...API_CORE],
    types: ['main/core/**', 'main/engine/engine.ts'],
  },
  {
    // Local machine effects every layer below the UI may use (atomic private files): not pure, so
    // not in core; a layer of its own so access, client and hub share one copy, importing only core.
    layer: 'main/platform', files: ['main/platform/**'], packages: [NODE], imports: ['main/core/**', 'main/platform/**'],
  },
  {
    layer: 'main/engine', files: ['main/engine/**'], packages: ['dockerode', 'ssh2', '@kubernetes/client-node', 'ws', NODE],
    imports: ['main/core/**', 'main/engine/**'],
  },
  { layer: 'main/hub', files: ['main/hub/**'], packages: [NODE, 'zod', 'ssh2', 'better-sqlite3'], imports: ['main/core/**', 'main/api/**', 'main/hub/**', PLATFORM, ...ENGINE_API] },
  {
    layer: 'main/access', files: ['main/access/**'], packages: [NODE, 'ssh2', 'ws', 'http-proxy-3', 'undici'],
    imports: ['main/core/**', 'main/api/**', 'main/hub/**', 'main/access/**', PLATFORM, ...ENGINE_API],
  },
  {
    // Team sign-in (hub serve --auth ldap|oidc): the directory and OpenID client libraries stay in this folder.
    layer: 'main/server/auth', files: ['main/server/auth/**'], packages: [NODE, 'ldapts', 'openid-client'],
    imports: ['main/core/**', 'main/hub/**', 'main/server/auth/**'],
  },
  {
    // in-process-hub-client.ts: the local hub (local-hub.ts) is opened with its owner's in-process client.
    layer: 'main/server', files: ['main/server/**'], packages: [NODE, 'selfsigned', 'ws'],
    imports: ['main/core/**', 'main/api/**', 'main/hub/**', 'main/access/**', 'main/server/**', 'main/client/in-process-hub-client.ts', PLATFORM, ...ENGINE_FACTORY],
  },
  {
    // port-stream-wire.ts: the port stream's wire form, spoken by the hub's end and the client's dialer.
    layer: 'main/client', files: ['main/client/**'], packages: [NODE, 'zod', 'ws', 'eventsource-parser'],
    imports: ['main/core/**', 'main/api/**', 'main/hub/**', 'main/client/**', 'main/access/port-stream-wire.ts', PLATFORM, ...ENGINE_FACTORY],
  },
  {
    // main/access too: ssh-config, ssh-proxy and tunnels are the client end of access, run by the CLI.
    layer: 'main/cli', files: ['main/cli/**'], packages: [NODE, 'commander'],
    imports: ['main/core/**', 'main/api/**', 'main/client/**', 'main/server/**', 'main/access/**', 'main/cli/**', PLATFORM, ...ENGINE_FACTORY],
  },
  {
    // zod too: IPC arguments are external input, validated at this boundary (docs/architecture.md).
    layer: 'main/shell', files: ['main/shell/**'], packages: [NODE, 'electron', 'electron-store', 'keytar', 'zod'],
    imports: ['main/core/**', 'main/api/**', 'main/hub/**', 'main/access/**', 'main/server/**', 'main/client/**',
      'main/cli/**', 'main/shell/**', 'main/engine/*', PLATFORM, 'preload/desktop-contract.ts'],
    types: ['preload/contract*.ts', 'preload/api*.ts'],
  },
  { layer: 'preload', files: ['preload/index.ts'], packages: ['electron'], imports: PRELOAD },
  // zod for the desktop API's one table (desktop-contract.ts), whose schemas main validates with; bundled into the preload.
  { layer: 'preload', files: ['preload/desktop-contract.ts'], packages: ['zod'], imports: PRELOAD },
  { layer: 'preload', files: ['preload/**'], packages: [], imports: PRELOAD },
  {
    layer: 'renderer', files: ['renderer/**'], packages: ['react', 'react-dom', '@xterm/xterm', '@xterm/addon-fit', 'uplot'],
    imports: ['renderer/**', 'main/api/**'], types: ['preload/contract.ts', 'preload/*-contract.ts'],
  },
];

const stripExt = (p) => p.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
const globCache = new Map();
function glob(pattern) {
  let re = globCache.get(pattern);
  if (!re) {
    const body = stripExt(pattern).split(/(\/\*\*|\*)/).map((part) =>
      part === '/**' ? '(/.*)?' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('');
    re = new RegExp(`^${body}$`);
    globCache.set(pattern, re);
  }
  return re;
}
const matches = (patterns = [], p) => patterns.some((g) => glob(g).test(p) || glob(g).test(stripExt(p)));

/** The row for a repo-relative file, or an unknown layer named by its folder (main/x, or top folder). */
function layerOf(file) {
  const row = LAYERS.find((l) => matches(l.files, file));
  if (row) return row;
  const parts = file.split('/');
  return { layer: parts[0] === 'main' && parts.length > 2 ? `main/${parts[1]}` : parts.length > 1 ? parts[0] : file, unknown: true };
}

function packageAllowed(spec, allowed) {
  if (isBuiltin(spec)) {
    const base = spec.replace(/^node:/, '').split('/')[0];
    return allowed.includes(NODE) || allowed.includes(`node:${base}`);
  }
  const name = spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  return allowed.includes(name);
}

const msg = (text) => `layer rule (docs/architecture.md): ${text}`;

function verdict(file, row, spec, typeOnly) {
  if (row.unknown) return msg(`${row.layer} is not a known layer; add it to ${CONFIG} before it imports anything (here '${spec}')`);
  const relative = spec.startsWith('.') || path.isAbsolute(spec);
  if (!relative) {
    if (packageAllowed(spec, row.packages ?? [])) return null;
    const what = isBuiltin(spec) ? `Node builtin '${spec}'` : `package '${spec}'`;
    return msg(`${row.layer} may not import ${what} (allowed packages: ${(row.packages ?? []).join(', ') || 'none'})`);
  }
  const target = path.isAbsolute(spec)
    ? path.relative(ROOT, spec).split(path.sep).join('/')
    : path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  if (matches(row.imports, target) || (typeOnly && matches(row.types, target))) return null;
  const hint = !typeOnly && matches(row.types, target) ? '; only `import type` is allowed from there' : '';
  return msg(`${row.layer} may not import ${target} ('${spec}')${hint}`);
}

const literal = (node) =>
  node?.type === 'Literal' && typeof node.value === 'string' ? node.value
    : node?.type === 'TemplateLiteral' && node.expressions.length === 0 ? node.quasis[0].value.cooked : null;

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Allow-list of imports per layer (docs/architecture.md)' },
    schema: [],
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    if (file.startsWith('..') || path.isAbsolute(file)) return {};
    const row = layerOf(file);
    if (row.unrestricted) return {};
    const check = (node, source, typeOnly = false) => {
      const spec = literal(source);
      if (spec === null) return;
      const message = verdict(file, row, spec, typeOnly);
      if (message) context.report({ node: source, message });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source, n.importKind === 'type'),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source, n.exportKind === 'type'),
      ExportAllDeclaration: (n) => check(n, n.source, n.exportKind === 'type'),
      ImportExpression: (n) => check(n, n.source),
      CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && check(n, n.arguments[0]),
      TSImportEqualsDeclaration: (n) =>
        n.moduleReference.type === 'TSExternalModuleReference' && check(n, n.moduleReference.expression, n.importKind === 'type'),
      TSImportType: (n) => check(n, n.source ?? n.argument?.literal, true), // typescript-eslint ≥ 8.x: source
    };
  },
};

export default { meta: { name: 'hubdeck-layers' }, rules: { imports: rule } };
