/**
 * A byte relay run inside a workspace (via exec) to reach one of its ports when the engine host's
 * network is not ours (remote tcp engines, Docker Desktop VMs), and to reach its loopback on every
 * engine. It uses whatever the image has: socat, nc (busybox too), python3 or bash. The port is
 * passed as an argument, never spliced into code.
 */
const PY_RELAY = [
  'import os,socket,sys,threading',
  's=socket.create_connection(("127.0.0.1",int(sys.argv[1])))',
  'def up():',
  '    while True:',
  '        d=os.read(0,65536)',
  '        if not d:',
  '            s.shutdown(socket.SHUT_WR);return',
  '        s.sendall(d)',
  'threading.Thread(target=up,daemon=True).start()',
  'while True:',
  '    d=s.recv(65536)',
  '    if not d: break',
  '    os.write(1,d)',
].join('\n');

const SCRIPT = [
  'p="$1"',
  'if command -v socat >/dev/null 2>&1; then exec socat - "TCP:127.0.0.1:$p"; fi',
  'if command -v nc >/dev/null 2>&1; then exec nc 127.0.0.1 "$p"; fi',
  'for py in python3 python; do if command -v $py >/dev/null 2>&1; then exec $py -c "$2" "$p"; fi; done',
  // Last, bash's /dev/tcp with cat (most Debian-based images): no half-close, enough for HTTP.
  'if command -v bash >/dev/null 2>&1 && command -v cat >/dev/null 2>&1; then exec bash -c "$3" hubdeck-relay "$p"; fi',
  'echo "hubdeck: the image has no socat, nc, python3 or bash to relay port $p" >&2; exit 127',
].join('\n');

/**
 * The bash fallback: the socket on fd 3, one cat each way. Input goes through fd 4 because a
 * background job's stdin is otherwise /dev/null; the relay ends when the workspace's side does.
 */
const BASH_RELAY = 'exec 3<>"/dev/tcp/127.0.0.1/$1" 4<&0 || exit 1; cat <&4 >&3 & cat <&3; kill $! 2>/dev/null; exit 0';

export function relayCommand(port: number): string[] {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port ${port} is not a port`);
  return ['/bin/sh', '-c', SCRIPT, 'hubdeck-relay', String(port), PY_RELAY, BASH_RELAY];
}
