/**
 * `hub serve --auth ldap|oidc`: the team sign-in flags, checked before the hub starts (a typo or a
 * missing file fails the start, not someone's first sign-in). Secrets come from files, never flags,
 * so they stay out of `ps` and shell history.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { ValidationError } from '../core/errors';
import type { TeamSignIn } from '../server/auth/team-sign-in';
import { collect } from './with-session';

export interface AuthFlags {
  auth: string[];
  ldapUrl?: string;
  ldapStarttls?: boolean;
  ldapCaFile?: string;
  ldapUserDnTemplate?: string;
  ldapBindDn?: string;
  ldapBindPasswordFile?: string;
  ldapSearchBase?: string;
  ldapSearchFilter?: string;
  ldapGroupBase?: string;
  ldapGroupFilter?: string;
  ldapAdminGroup?: string;
  ldapAllowedGroup: string[];
  oidcIssuer?: string;
  oidcClientId?: string;
  oidcClientSecretFile?: string;
  oidcRedirectUrl?: string;
  oidcScope: string;
  oidcUsernameClaim: string;
  oidcGroupsClaim: string;
  oidcName?: string;
  oidcAdminGroup?: string;
  oidcAllowedGroup: string[];
  authSelfServiceGroup: string[];
}

export function addAuthOptions(cmd: Command): Command {
  return cmd
    .option('--auth <kind>', 'team sign-in beside tokens: ldap or oidc (repeatable for both)', collect, [])
    .option('--ldap-url <url>', 'ldap: the directory, ldap://host:389 or ldaps://host:636')
    .option('--ldap-starttls', 'ldap: upgrade ldap:// with StartTLS before sending passwords')
    .option('--ldap-ca-file <file>', 'ldap: PEM CA certificate the directory\'s certificate is checked against')
    .option('--ldap-user-dn-template <dn>', 'ldap: bind straight as the person, e.g. "uid={username},ou=people,dc=example,dc=org"')
    .option('--ldap-bind-dn <dn>', 'ldap: service account that searches for the person (search-then-bind)')
    .option('--ldap-bind-password-file <file>', 'ldap: file holding the service account\'s password')
    .option('--ldap-search-base <dn>', 'ldap: where to search for people (search-then-bind)')
    .option('--ldap-search-filter <filter>', 'ldap: how to find a person; {username} is escaped', '(uid={username})')
    .option('--ldap-group-base <dn>', 'ldap: where groups are; a person\'s groups become their Hubdeck groups (those the hub has)')
    .option('--ldap-group-filter <filter>', 'ldap: a person\'s groups; {dn} and {username} are escaped', '(|(member={dn})(uniqueMember={dn})(memberUid={username}))')
    .option('--ldap-admin-group <cn>', 'ldap: members are hub admins, others are not')
    .option('--ldap-allowed-group <cn>', 'ldap: only members may sign in (repeatable)', collect, [])
    .option('--oidc-issuer <url>', 'oidc: the provider\'s issuer URL (discovery)')
    .option('--oidc-client-id <id>', 'oidc: this hub\'s client id at the provider')
    .option('--oidc-client-secret-file <file>', 'oidc: file holding the client secret (none: a public client with PKCE)')
    .option('--oidc-redirect-url <url>', 'oidc: the callback registered at the provider (default: the hub\'s URL + /hub/login/oidc/callback)')
    .option('--oidc-scope <scopes>', 'oidc: scopes asked for', 'openid profile email')
    .option('--oidc-username-claim <claim>', 'oidc: the claim that is the Hubdeck user name', 'preferred_username')
    .option('--oidc-groups-claim <claim>', 'oidc: the claim listing the person\'s groups', 'groups')
    .option('--oidc-name <text>', 'oidc: shown as "Sign in with <text>" (default: the issuer\'s host)')
    .option('--oidc-admin-group <group>', 'oidc: members are hub admins, others are not')
    .option('--oidc-allowed-group <group>', 'oidc: only members may sign in (repeatable)', collect, [])
    .option('--auth-self-service-group <group>', 'members of this directory group may create their own workspaces (repeatable; none: left as admins set it)', collect, []);
}

function need<T>(value: T | undefined, flag: string, why: string): T {
  if (value === undefined || value === '') throw new ValidationError(flag, `is required with ${why}`);
  return value;
}

function readable(file: string | undefined, flag: string): string | undefined {
  if (file === undefined) return undefined;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new ValidationError(flag, `cannot read "${file}"`);
  }
  return file;
}

function url(text: string, flag: string, protocols: string[]): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ValidationError(flag, `"${text}" is not a URL`);
  }
  if (!protocols.includes(u.protocol)) throw new ValidationError(flag, `"${text}" must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return text;
}

/** The team sign-in the flags ask for, or undefined (tokens only). `wildcardListen`: no default redirect URL. */
export async function teamSignInFrom(o: AuthFlags, wildcardListen: boolean): Promise<TeamSignIn | undefined> {
  const bad = o.auth.find((k) => k !== 'ldap' && k !== 'oidc');
  if (bad !== undefined) throw new ValidationError('auth', `"${bad}" is not a sign-in kind (ldap or oidc)`);
  if (!o.auth.length) return undefined;
  const [{ LdapAuthenticator, LDAP_DEFAULTS }, { OidcAuthenticator }] = await Promise.all([import('../server/auth/ldap-auth'), import('../server/auth/oidc-auth')]);
  const ldapOn = o.auth.includes('ldap');
  const oidcOn = o.auth.includes('oidc');
  let ldap = null;
  if (ldapOn) {
    const ldapUrl = url(need(o.ldapUrl, 'ldap-url', '--auth ldap'), 'ldap-url', ['ldap:', 'ldaps:']);
    if (!o.ldapUserDnTemplate && !o.ldapSearchBase) throw new ValidationError('ldap-user-dn-template', 'or --ldap-search-base is required with --auth ldap');
    if (o.ldapBindDn && !o.ldapBindPasswordFile) throw new ValidationError('ldap-bind-password-file', 'is required with --ldap-bind-dn');
    if (o.ldapStarttls && ldapUrl.startsWith('ldaps:')) throw new ValidationError('ldap-starttls', 'is for ldap:// URLs; ldaps:// is TLS already');
    try {
      ldap = new LdapAuthenticator({
        url: ldapUrl, startTls: Boolean(o.ldapStarttls), caFile: readable(o.ldapCaFile, 'ldap-ca-file'), userDnTemplate: o.ldapUserDnTemplate,
        bindDn: o.ldapBindDn, bindPasswordFile: readable(o.ldapBindPasswordFile, 'ldap-bind-password-file'), searchBase: o.ldapSearchBase,
        searchFilter: o.ldapSearchFilter ?? LDAP_DEFAULTS.searchFilter, groupBase: o.ldapGroupBase, groupFilter: o.ldapGroupFilter ?? LDAP_DEFAULTS.groupFilter,
        groupNameAttribute: LDAP_DEFAULTS.groupNameAttribute, timeoutMs: LDAP_DEFAULTS.timeoutMs,
      });
    } catch (e) {
      throw new ValidationError('auth', (e as Error).message);
    }
  }
  let oidc = null;
  if (oidcOn) {
    const issuer = url(need(o.oidcIssuer, 'oidc-issuer', '--auth oidc'), 'oidc-issuer', ['https:', 'http:']);
    const redirectUrl = o.oidcRedirectUrl === undefined ? undefined : url(o.oidcRedirectUrl, 'oidc-redirect-url', ['https:', 'http:']);
    if (!redirectUrl && wildcardListen) throw new ValidationError('oidc-redirect-url', 'is required when the hub listens on every address (the provider needs the URL people use)');
    try {
      oidc = new OidcAuthenticator({
        issuer, clientId: need(o.oidcClientId, 'oidc-client-id', '--auth oidc'), clientSecretFile: readable(o.oidcClientSecretFile, 'oidc-client-secret-file'),
        redirectUrl, scope: o.oidcScope, usernameClaim: o.oidcUsernameClaim, groupsClaim: o.oidcGroupsClaim, name: o.oidcName ?? new URL(issuer).host,
      });
    } catch (e) {
      throw new ValidationError('auth', (e as Error).message);
    }
  }
  const selfServiceGroups = o.authSelfServiceGroup;
  return {
    ldap, oidc,
    ldapPolicy: { allowedGroups: o.ldapAllowedGroup, adminGroup: o.ldapAdminGroup ?? null, selfServiceGroups },
    oidcPolicy: { allowedGroups: o.oidcAllowedGroup, adminGroup: o.oidcAdminGroup ?? null, selfServiceGroups },
  };
}
