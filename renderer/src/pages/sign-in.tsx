/**
 * Sign in (browser mode): a token is traded with the hub for an HttpOnly session cookie, so the
 * page never keeps the token (not in storage, not in the URL). Hubs with team sign-in also offer
 * "Sign in with …" (OpenID Connect) and a directory user name and password (LDAP).
 */
import { useEffect, useState } from 'react';
import { signIn } from '../lib/session';
import { passwordSignIn, signInMethods, type SignInMethods } from '../lib/team-sign-in';

function PasswordForm({ onSignedIn, onError }: { onSignedIn: () => void; onError: (m: string | null) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    onError(null);
    const problem = await passwordSignIn(username.trim(), password);
    setBusy(false);
    setPassword('');
    if (problem) return onError(problem);
    onSignedIn();
  };
  return (
    <form aria-label="Directory account" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <div className="field">
        <label htmlFor="username">User name</label>
        <input id="username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </div>
      <button type="submit" className="primary" disabled={busy || !username.trim() || !password}>Sign in with password</button>
    </form>
  );
}

export function SignInPage({ onSignedIn, reason }: { onSignedIn: () => void; reason: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [methods, setMethods] = useState<SignInMethods>({ password: false, oidc: null });
  useEffect(() => {
    void signInMethods().then(setMethods);
  }, []);
  const submit = async () => {
    setBusy(true);
    setError(null);
    const problem = await signIn(token.trim());
    setBusy(false);
    if (problem) return setError(problem);
    setToken('');
    onSignedIn();
  };
  return (
    <main className="signin">
      <h1>Sign in to Hubdeck</h1>
      <div className="panel">
        {reason && <p className="notice">{reason}</p>}
        {error && <p role="alert" className="alert">{error}</p>}
        {methods.oidc && <p><a className="button primary" href={`${methods.oidc.url}?next=/`}>Sign in with {methods.oidc.name}</a></p>}
        {methods.password && <PasswordForm onSignedIn={onSignedIn} onError={setError} />}
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <div className="field">
            <label htmlFor="token">Token</label>
            <input id="token" name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required aria-describedby="token-hint" autoFocus />
            <span id="token-hint" className="hint">An API token from your hub admin, or from <code>hubdeck token create</code>. It is exchanged for a session cookie and not kept by this page.</span>
          </div>
          <button type="submit" className="primary" disabled={busy || !token.trim()}>Sign in</button>
        </form>
      </div>
    </main>
  );
}
