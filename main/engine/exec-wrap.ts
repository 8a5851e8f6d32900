/**
 * Shell helpers run inside a workspace for engines that lack a feature natively: ending an exec's
 * process tree (Docker and Kubernetes have no "kill this exec" call) and giving an exec an
 * environment and a working directory (Kubernetes exec takes neither). Every value travels as a
 * positional argument to a fixed script — never spliced into shell text.
 */
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const EXEC_ID_VAR = 'HUBDECK_EXEC_ID';
const EXEC_ID = /^[0-9a-f]{16,64}$/;

const KILL_SCRIPT = [
  // One exec id per argument; grep -F takes the newline-separated list as one pattern each.
  `pats=$(for id in "$@"; do printf '%s\\n' "${EXEC_ID_VAR}=$id"; done)`,
  // Every process whose environment carries one of these ids: the execs and all they started.
  // A grep that reads NUL-separated records (-z: GNU, busybox) scans every process in one run;
  // otherwise each environment goes through tr and grep (two processes per process: slow when a
  // closing gateway ends a hundred sessions at once). 2>/dev/null: a process may end meanwhile.
  `if printf 'a\\0' | grep -qzxF a 2>/dev/null; then`,
  `  match() { for f in $(grep -lzxF "$pats" /proc/[0-9]*/environ 2>/dev/null); do p=\${f#/proc/}; echo "\${p%/environ}"; done; }`,
  'else',
  `  match() { for p in /proc/[0-9]*; do if tr '\\0' '\\n' 2>/dev/null < "$p/environ" | grep -qxF "$pats"; then echo "\${p#/proc/}"; fi; done; }`,
  'fi',
  'pids=$(match); [ -z "$pids" ] && exit 0',
  // HUP ends interactive shells (which ignore TERM); TERM the rest; KILL what is left after 2 s.
  'kill -HUP $pids 2>/dev/null; kill -TERM $pids 2>/dev/null',
  'i=0; while [ $i -lt 20 ]; do pids=$(match); [ -z "$pids" ] && exit 0; sleep 0.1; i=$((i+1)); done',
  'kill -KILL $pids 2>/dev/null; exit 0',
].join('\n');

/** The command that ends every process tagged with `execId` (see EXEC_ID_VAR). */
export function killByExecIdCommand(execId: string): string[] {
  return killByExecIdsCommand([execId]);
}

/**
 * One command ending the processes of many execs: a gateway closing with dozens of sessions scans
 * the container's processes once, not once per session (dozens of scans at once took 40 s).
 */
export function killByExecIdsCommand(execIds: string[]): string[] {
  if (execIds.length === 0) throw new Error('no exec id');
  for (const id of execIds) if (!EXEC_ID.test(id)) throw new Error(`"${id}" is not an exec id`);
  return ['/bin/sh', '-c', KILL_SCRIPT, 'hubdeck-kill', ...execIds];
}

/** Signals an SSH client may send (RFC 4254 §6.10 names, without "SIG"). */
export const SIGNALS = ['ABRT', 'ALRM', 'FPE', 'HUP', 'ILL', 'INT', 'KILL', 'PIPE', 'QUIT', 'SEGV', 'TERM', 'USR1', 'USR2'] as const;

const SIGNAL_SCRIPT = [
  'id="$1"; sig="$2"',
  `for p in /proc/[0-9]*; do if tr '\\0' '\\n' 2>/dev/null < "$p/environ" | grep -qxF "${EXEC_ID_VAR}=$id"; then kill -s "$sig" "\${p#/proc/}" 2>/dev/null; fi; done`,
  'exit 0',
].join('\n');

/** The command that sends `signal` to every process tagged with `execId`. */
export function signalByExecIdCommand(execId: string, signal: string): string[] {
  if (!EXEC_ID.test(execId)) throw new Error(`"${execId}" is not an exec id`);
  if (!(SIGNALS as readonly string[]).includes(signal)) throw new Error(`"${signal}" is not a signal an SSH client may send`);
  return ['/bin/sh', '-c', SIGNAL_SCRIPT, 'hubdeck-signal', execId, signal];
}

// Arguments: workdir ('' for none), K=V pairs, "--", the command. The pairs end at the first "--"
// (a pair always contains "=", so it never is one) and the loop keeps no variables of its own, so
// no key the caller passes (n, i, IFS…) can change how the script runs.
const WRAP_SCRIPT = [
  'if [ -n "$1" ]; then cd -- "$1" || exit 127; fi; shift',
  'while [ "$1" != -- ]; do export "$1"; shift; done; shift',
  'exec "$@"',
].join('\n');

/** `cmd` run in `workdir` with `env` added, for engines whose exec takes neither. */
export function withEnvAndWorkdir(cmd: string[], env: Record<string, string> = {}, workdir?: string): string[] {
  if (cmd.length === 0) throw new Error('no command to run');
  const pairs = Object.entries(env).map(([k, v]) => {
    if (!ENV_KEY.test(k)) throw new Error(`"${k}" is not an environment variable name`);
    if (v.includes('\0')) throw new Error(`the value of ${k} contains a NUL`);
    return `${k}=${v}`;
  });
  if (pairs.length === 0 && !workdir) return cmd;
  if (workdir?.includes('\0')) throw new Error('the working directory contains a NUL');
  return ['/bin/sh', '-c', WRAP_SCRIPT, 'hubdeck-exec', workdir ?? '', ...pairs, '--', ...cmd];
}
