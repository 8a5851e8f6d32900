/**
 * A real OpenID Connect provider in the test process (`oidc-provider`, its built-in login and
 * consent pages), with one confidential test client and a few people and their groups.
 */
import http from 'node:http';
import net from 'node:net';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** `people`: login name → claims (preferred_username, groups). `redirectUris`: the hub's callbacks. */
export async function startProvider(people: Record<string, { preferred_username: string; groups: string[] }>, redirectUris: string[]): Promise<TestProvider> {
  const { default: Provider } = await import('oidc-provider');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'hubdeck-test';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    scopes: ['openid', 'profile', 'groups'],
    claims: { openid: ['sub'], profile: ['preferred_username'], groups: ['groups'] },
    pkce: { required: () => true },
    cookies: { keys: ['hubdeck-test-cookie-key'] },
    findAccount: async (_ctx: unknown, id: string) => {
      const who = people[id];
      return who ? { accountId: id, claims: async () => ({ sub: id, ...who }) } : undefined;
    },
  });
  // The built-in development login and consent pages warn on every start; they are the point here.
  provider.on('server_error', (_ctx: unknown, e: Error) => console.error('oidc-provider:', e));
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer, clientId, clientSecret,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
