/**
 * Password sign-in against an LDAP directory (ldapts): bind as the person, found either by a DN
 * template or by searching with a service account first; LDAPS or StartTLS with the directory's
 * CA; their groups read from a group search. Every value put into a DN or filter is escaped.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import { Client, Filter, InvalidCredentialsError } from 'ldapts';
import { checkUserName } from '../../core/names';
import { DirectoryUnavailable, SignInRefused, type DirectoryIdentity } from './directory-policy';
import { escapeDnValue, fillTemplate } from './ldap-escape';

export interface LdapOptions {
  url: string;
  startTls: boolean;
  /** PEM file of the CA that signed the directory's certificate (else the system's CAs). */
  caFile?: string;
  /** "uid={username},ou=people,dc=example,dc=org": bind straight as the person. */
  userDnTemplate?: string;
  /** Search-then-bind: a service account finds the person's DN. */
  bindDn?: string;
  bindPasswordFile?: string;
  searchBase?: string;
  searchFilter: string;
  groupBase?: string;
  groupFilter: string;
  groupNameAttribute: string;
  timeoutMs: number;
}

export const LDAP_DEFAULTS = {
  searchFilter: '(uid={username})',
  groupFilter: '(|(member={dn})(uniqueMember={dn})(memberUid={username}))',
  groupNameAttribute: 'cn',
  timeoutMs: 5000,
};


/**
 * The most LDAP steps a sign-in takes (StartTLS and its handshake, service bind, search, bind, group
 * search, with a little slack): each has `timeoutMs`, and the whole sign-in gets this many of them.
 */
const SIGN_IN_STEPS = 8;

/** `work`, or a rejection once `ms` have passed without it settling (the caller then ends the connection). */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export class LdapAuthenticator {
  private readonly ca: Buffer | undefined;
  private readonly bindPassword: string | undefined;

  constructor(private readonly o: LdapOptions) {
    if (!o.userDnTemplate && !o.searchBase) throw new Error('LDAP needs --ldap-user-dn-template or --ldap-search-base');
    if (o.userDnTemplate && !o.userDnTemplate.includes('{username}')) throw new Error('--ldap-user-dn-template must contain {username}');
    // Read once at start: a missing file fails the start, not the first sign-in.
    this.ca = o.caFile ? fs.readFileSync(o.caFile) : undefined;
    this.bindPassword = o.bindPasswordFile ? fs.readFileSync(o.bindPasswordFile, 'utf8').replace(/\r?\n$/, '') : undefined;
  }

  /** Where people are told the directory is; never includes a credential. */
  get describe(): string {
    const u = new URL(this.o.url);
    return `${u.protocol}//${u.host}`;
  }

  async authenticate(username: string, password: string): Promise<DirectoryIdentity> {
    if (checkUserName(username)) throw new SignInRefused('Wrong user name or password.');
    // An empty password is an LDAP "unauthenticated bind", which succeeds for anyone: refuse it here.
    if (!password) throw new SignInRefused('Wrong user name or password.');
    const client = this.newClient();
    try {
      // ldapts times each LDAP message, not the whole sign-in: this deadline is what keeps a
      // directory that stalls somewhere else from holding the address's sign-ins for ever.
      return await within(this.check(client, username, password), SIGN_IN_STEPS * this.o.timeoutMs, 'the sign-in');
    } catch (e) {
      // Anything but "that person may not" is the directory's trouble (down, timed out, misconfigured).
      if (e instanceof SignInRefused || e instanceof DirectoryUnavailable) throw e;
      throw new DirectoryUnavailable(`The directory (${this.describe}) cannot be used right now: ${(e as Error).message}`);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async check(client: Client, username: string, password: string): Promise<DirectoryIdentity> {
    await this.connect(client);
    const dn = await this.findDn(client, username);
    try {
      await client.bind(dn, password);
    } catch (e) {
      if (e instanceof InvalidCredentialsError) throw new SignInRefused('Wrong user name or password.');
      throw e;
    }
    // The DN pins the account to this entry: a name later reused in the directory gets no one's account.
    return { username, groups: await this.groupsOf(client, dn, username), source: 'ldap', subject: dn.toLowerCase() };
  }

  private newClient(): Client {
    // ldapts reads constructor tlsOptions as "TLS from the first byte": only for ldaps://, StartTLS takes its own.
    const tlsOptions = this.o.url.startsWith('ldaps:') ? { ca: this.ca } : undefined;
    return new Client({ url: this.o.url, timeout: this.o.timeoutMs, connectTimeout: this.o.timeoutMs, tlsOptions, strictDN: true });
  }

  private async connect(client: Client): Promise<void> {
    if (!this.o.startTls) return;
    // ldapts upgrades the open socket with no host name, and Node then checks the certificate
    // against "localhost" (and sends no SNI): name the directory's host, or any certificate for
    // "localhost" from a trusted CA would pass and a directory's real certificate would not.
    const host = new URL(this.o.url).hostname.replace(/^\[(.*)\]$/, '$1');
    try {
      // ldapts gives the TLS handshake after "go ahead" no timeout of its own: a directory that
      // accepts StartTLS and then says nothing would hold the sign-in for ever.
      await within(client.startTLS({ ca: this.ca, host, servername: isIP(host) ? undefined : host }), 2 * this.o.timeoutMs, 'StartTLS');
    } catch (e) {
      throw new DirectoryUnavailable(`The directory (${this.describe}) cannot be reached securely (StartTLS): ${(e as Error).message}`);
    }
  }

  private async findDn(client: Client, username: string): Promise<string> {
    if (this.o.userDnTemplate) return fillTemplate(this.o.userDnTemplate, { username }, escapeDnValue);
    if (this.o.bindDn) await client.bind(this.o.bindDn, this.bindPassword ?? '');
    const filter = fillTemplate(this.o.searchFilter, { username }, Filter.escape);
    const { searchEntries } = await client.search(this.o.searchBase!, { scope: 'sub', filter, attributes: ['dn'], sizeLimit: 2 });
    // Nobody, or an ambiguous name, is the same answer as a wrong password: names are not probed.
    if (searchEntries.length !== 1) throw new SignInRefused('Wrong user name or password.');
    return searchEntries[0]!.dn;
  }

  /** The person's group names, searched with the person's own rights (or the service account's). */
  private async groupsOf(client: Client, dn: string, username: string): Promise<string[]> {
    if (!this.o.groupBase) return [];
    if (this.o.bindDn) await client.bind(this.o.bindDn, this.bindPassword ?? '');
    const filter = fillTemplate(this.o.groupFilter, { dn, username }, Filter.escape);
    const attr = this.o.groupNameAttribute;
    const { searchEntries } = await client.search(this.o.groupBase, { scope: 'sub', filter, attributes: [attr] });
    return searchEntries.flatMap((e) => {
      const v = e[attr];
      return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x ?? ''))).filter(Boolean);
    });
  }
}
