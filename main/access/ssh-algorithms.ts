/**
 * The algorithms the SSH gateway offers: what OpenSSH 9 offers minus what ssh-audit flags (NIST
 * ECDH curves, SHA-1 and encrypt-and-MAC MACs, SHA-1 RSA signatures, small DH groups), so an
 * audit of the gateway passes with no failure and no warning. The ECDSA host key (NIST P-256,
 * which ssh-audit warns about) is offered only where the hub's setting sshEcdsaHostKey allows.
 */
import type { Algorithms, KexAlgorithm, MacAlgorithm, ServerHostKeyAlgorithm } from 'ssh2';

/** Key exchange: curve25519 first, then the large MODP groups for clients without it. */
const KEX: KexAlgorithm[] = ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512'];

/** Encrypt-then-MAC only: the AEAD ciphers (chacha20-poly1305, AES-GCM) need no MAC at all. */
const MACS: MacAlgorithm[] = ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'];

/** Host key signatures: ed25519, RSA with SHA-2 (never ssh-rsa's SHA-1), and ECDSA when allowed. */
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256'];
export const ECDSA_HOST_KEY_ALGORITHM: ServerHostKeyAlgorithm = 'ecdsa-sha2-nistp256';

/**
 * ssh2's algorithm options for the gateway. Ciphers stay ssh2's defaults (chacha20-poly1305,
 * AES-GCM and AES-CTR, as the platform's OpenSSL has them): none is flagged, and the order is the
 * one `npm run bench:ssh` measures.
 */
export function gatewayAlgorithms(withEcdsa: boolean): Algorithms {
  return { kex: KEX, hmac: MACS, serverHostKey: withEcdsa ? [...HOST_KEY_ALGORITHMS, ECDSA_HOST_KEY_ALGORITHM] : HOST_KEY_ALGORITHMS };
}

interface KexList { array: string[] }
interface KexOffer {
  constructor: new (o: object) => KexOffer;
  lists: { kex: KexList; serverHostKey: KexList; cs: Record<'cipher' | 'mac' | 'compress', KexList>; sc: Record<'cipher' | 'mac' | 'compress', KexList> };
}
const offers = new WeakMap<object, KexOffer>();

/**
 * ssh2 (1.x) adds `ssh-rsa` — RSA signed with SHA-1 — to the offer whenever it has an RSA key,
 * even when serverHostKey leaves it out. A new connection's protocol sends its KEXINIT right after
 * the server's 'connection' event, so this swaps in the same offer without it (made once per
 * offer). Internals: if they change, the offer stays ssh2's own (ssh-audit's test then fails).
 */
export function withoutSha1HostKeys(client: object): void {
  const proto = (client as { _protocol?: { _offer?: KexOffer } })._protocol;
  const offer = proto?._offer;
  if (!proto || !offer?.lists?.serverHostKey?.array.includes('ssh-rsa')) return;
  let fixed = offers.get(offer);
  if (!fixed) {
    const l = offer.lists;
    const dir = (d: KexOffer['lists']['cs']) => ({ cipher: d.cipher.array, mac: d.mac.array, compress: d.compress.array, lang: [] });
    fixed = new offer.constructor({ kex: l.kex.array, serverHostKey: l.serverHostKey.array.filter((a) => a !== 'ssh-rsa'), cs: dir(l.cs), sc: dir(l.sc) });
    offers.set(offer, fixed);
  }
  proto._offer = fixed;
}
