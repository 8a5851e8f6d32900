/**
 * The workspace side of agent forwarding (`ssh -A`), without I/O: a small listener the gateway
 * execs in the workspace as the session's user. Like sshd, it makes a private directory (0700,
 * `mkdtemp`) holding a socket `agent.<pid>`, and relays every connection to that socket over its
 * stdin/stdout, which the gateway turns into `auth-agent@openssh.com` channels back to the client
 * (ssh-agent-forward.ts). It needs python3 (or python) in the image; without one it says so and
 * exits 127. It removes its socket and directory at the end of its input or on HUP/TERM/INT (the
 * engine's close sends HUP and TERM at once: the second must not cut the clean-up short). Frames both ways: kind (1 byte), connection id (uint32), length (uint32), payload.
 */

/** Frame kinds: the socket's path (once, first), a new connection, its data, its end. */
export const FRAME = { path: 0x50, open: 0x4f, data: 0x44, close: 0x43 } as const;
export type FrameKind = (typeof FRAME)[keyof typeof FRAME];

/** An agent message is at most 256 KiB (OpenSSH's limit); a frame is never bigger. */
export const MAX_FRAME = 256 * 1024 + 16;
/** Agent connections open at once in one session (an agent client holds one at a time). */
export const MAX_AGENT_CONNECTIONS = 32;

const PY_RELAY = `
import os,selectors,signal,socket,struct,sys,tempfile
S=(signal.SIGTERM,signal.SIGHUP,signal.SIGINT)
def bye(*_):
  for s in S: signal.signal(s,signal.SIG_IGN)
  raise SystemExit(0)
for s in S: signal.signal(s,bye)
d=tempfile.mkdtemp(prefix='ssh-')
p=os.path.join(d,'agent.%d'%os.getpid())
L=socket.socket(socket.AF_UNIX);L.bind(p);os.chmod(p,0o600);L.listen(16);L.setblocking(False)
out=sys.stdout.buffer
def send(k,i,b=b''):
  out.write(struct.pack('>BII',k,i,len(b))+b);out.flush()
sel=selectors.DefaultSelector();conns={};n=[0];buf=b''
def drop(i,tell):
  c=conns.pop(i,None)
  if c is None: return
  sel.unregister(c);c.close()
  if tell: send(0x43,i)
sel.register(L,selectors.EVENT_READ,'L');sel.register(0,selectors.EVENT_READ,'I')
try:
  send(0x50,0,p.encode())
  while True:
    for key,_ in sel.select():
      t=key.data
      if t=='L':
        try: c,_=L.accept()
        except OSError: continue
        if len(conns)>=${MAX_AGENT_CONNECTIONS}: c.close();continue
        n[0]+=1;conns[n[0]]=c;c.setblocking(True);sel.register(c,selectors.EVENT_READ,n[0]);send(0x4f,n[0])
      elif t=='I':
        b=os.read(0,65536)
        if not b: raise SystemExit(0)
        buf+=b
        while len(buf)>=9:
          k,i,m=struct.unpack('>BII',buf[:9])
          if m>${MAX_FRAME}: raise SystemExit(1)
          if len(buf)<9+m: break
          body=buf[9:9+m];buf=buf[9+m:]
          if k==0x44 and i in conns:
            try: conns[i].sendall(body)
            except OSError: drop(i,True)
          elif k==0x43: drop(i,False)
      else:
        try: b=key.fileobj.recv(65536)
        except OSError: b=b''
        if b: send(0x44,t,b)
        else: drop(t,True)
finally:
  try: os.unlink(p)
  except OSError: pass
  try: os.rmdir(d)
  except OSError: pass
`;

export const NO_AGENT_RELAY_EXIT = 127;
export const NO_AGENT_RELAY_MESSAGE = 'hubdeck: agent forwarding needs python3 in the workspace image; SSH_AUTH_SOCK is not set';

/** The listener as an exec command: the image's python3 (or python), else a clear message. */
export function agentRelayCommand(): string[] {
  const script = [
    'for py in python3 python; do if command -v $py >/dev/null 2>&1; then exec $py -c "$1"; fi; done',
    `echo "$2" >&2; exit ${NO_AGENT_RELAY_EXIT}`,
  ].join('\n');
  return ['/bin/sh', '-c', script, 'hubdeck-agent', PY_RELAY, NO_AGENT_RELAY_MESSAGE];
}

export interface Frame {
  kind: number;
  id: number;
  payload: Buffer;
}

export function encodeFrame(kind: FrameKind, id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt8(kind, 0);
  head.writeUInt32BE(id, 1);
  head.writeUInt32BE(payload.length, 5);
  return Buffer.concat([head, payload]);
}

/** Cuts a byte stream into frames; a frame over MAX_FRAME is an error (the relay is not ours). */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= 9) {
      const len = this.pending.readUInt32BE(5);
      if (len > MAX_FRAME) throw new Error(`agent relay: a frame of ${len} bytes`);
      if (this.pending.length < 9 + len) break;
      frames.push({ kind: this.pending[0]!, id: this.pending.readUInt32BE(1), payload: this.pending.subarray(9, 9 + len) });
      this.pending = this.pending.subarray(9 + len);
    }
    return frames;
  }
}
