// V8's compile cache for the built CLI: compiling its bundle is most of a short command's start-up.
// Node 22.1+ has it built in (module.enableCompileCache); on older Node the same is done here for
// the files under one folder (out/main), with vm.Script's cached data. Any failure only means the
// code is compiled as usual: the cache can never change what runs, only how fast it starts.
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** The per-user OS cache folder (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows). */
function osCacheDir(env = process.env) {
  if (process.platform === 'win32') return env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches');
  return env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

/** FNV-1a of the file's folder, then its name: entries of one build folder share a prefix. */
function entryName(filename) {
  const dir = path.dirname(filename);
  let h = 0x811c9dc5;
  for (let i = 0; i < dir.length; i++) h = Math.imul(h ^ dir.charCodeAt(i), 0x01000193) >>> 0;
  return `${h.toString(16).padStart(8, '0')}-${path.basename(filename)}.bin`;
}

/** Which build of a file an entry belongs to: its size and modification time. */
function stamp(filename) {
  const st = fs.statSync(filename);
  const b = Buffer.alloc(16);
  b.writeDoubleLE(st.size, 0);
  b.writeDoubleLE(st.mtimeMs, 8);
  return b;
}

const MONTH_MS = 30 * 24 * 3600 * 1000;

/**
 * Drops, when writing, the entries of files a rebuild removed (chunk names change with every
 * build) from the folders written to, and any entry unused for a month.
 */
function prune(dir, written) {
  const folders = new Map(written.map((w) => [path.basename(w.file).slice(0, 9), path.dirname(w.source)]));
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    try {
      const folder = folders.get(name.slice(0, 9));
      const gone = folder !== undefined && !fs.existsSync(path.join(folder, name.slice(9, -4)));
      if (gone || Date.now() - fs.statSync(file).mtimeMs > MONTH_MS) fs.rmSync(file, { force: true });
    } catch {
      // raced with another process
    }
  }
}

/** Node < 22.1: compiles files under `root` through vm.Script, reusing and saving V8's cached data. */
function enableScriptCache(root, dir) {
  // Private: what is in here is run as the user's code.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pending = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(root)) return compile.call(this, content, filename);
    return runCached(this, content, filename);
  };
  function runCached(mod, content, filename) {
    const file = path.join(dir, entryName(filename));
    // An entry is [size, mtime of the source][V8 data]: a rebuild makes it miss, not misbehave
    // (and V8 itself refuses data made for another source or V8 version).
    const digest = stamp(filename);
    let cachedData;
    try {
      const saved = fs.readFileSync(file);
      if (saved.subarray(0, 16).equals(digest)) cachedData = saved.subarray(16);
    } catch {
      // no entry yet
    }
    // A leading #! line is legal only at the very start of a script, not inside the module wrapper.
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    // No import() in here (a vm.Script has no loader for it): the build refuses chunks with one.
    const script = new vm.Script(Module.wrap(source), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) pending.push({ file, digest, script, source: filename });
    const req = (id) => mod.require(id);
    req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    req.main = process.mainModule;
    req.extensions = Module._extensions;
    req.cache = Module._cache;
    return script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  }
  // Saved at exit, so the data covers the functions this run compiled lazily, not just the top level.
  process.once('exit', () => {
    if (pending.length === 0) return;
    for (const { file, digest, script } of pending) {
      try {
        const tmp = `${file}.${process.pid}`;
        fs.writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]));
        fs.renameSync(tmp, file);
      } catch {
        // read-only or full cache folder: next start compiles again
      }
    }
    try {
      prune(dir, pending);
    } catch {
      // nothing to prune
    }
  });
}

/** Turns the compile cache on for the code under `root` (the built CLI); never throws. */
function enableCompileCache(root, env = process.env) {
  if (env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    const dir = path.join(osCacheDir(env), 'hubdeck', 'compile-cache');
    if (typeof Module.enableCompileCache === 'function') Module.enableCompileCache(dir);
    else enableScriptCache(root + path.sep, path.join(dir, `v8-${process.versions.v8}-${process.arch}`));
  } catch {
    // no usable cache folder (no home, read-only): start without the cache
  }
}

module.exports = { enableCompileCache, osCacheDir };
