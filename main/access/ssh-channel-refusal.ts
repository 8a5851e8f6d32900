/**
 * Refusing a channel with a reason the client shows ("channel 3: open failed: administratively
 * prohibited: hubdeck: at most 10 sessions…"). ssh2's reject() always sends an empty description,
 * so for that one call its protocol's channelOpenFail is handed our text (ssh2 1.x internals; if
 * they change, the refusal still happens, only without the reason).
 */
import type { Connection } from 'ssh2';

/** RFC 4254 reason codes: refused by policy (as sshd past MaxSessions), or the target did not answer. */
export const ADMINISTRATIVELY_PROHIBITED = 1;
export const CONNECT_FAILED = 2;

type OpenFail = (remote: number, reason: number, description?: string) => void;

export function refuseChannel(client: Connection, reject: () => void, reason: string, code = ADMINISTRATIVELY_PROHIBITED): void {
  const proto = (client as unknown as { _protocol?: { channelOpenFail?: OpenFail } })._protocol;
  const original = proto?.channelOpenFail;
  if (!proto || typeof original !== 'function') return reject();
  const own = Object.prototype.hasOwnProperty.call(proto, 'channelOpenFail');
  proto.channelOpenFail = (remote) => original.call(proto, remote, code, reason.slice(0, 200));
  try {
    reject();
  } finally {
    if (own) proto.channelOpenFail = original;
    else delete proto.channelOpenFail;
  }
}
