/**
 * Sign in (browser mode): a token is traded with the hub for an HttpOnly session cookie, so the
 * page never keeps the token (not in storage, not in the URL).
 */
import { useState } from 'react';
import { signIn } from '../lib/session';

export function SignInPage({ onSignedIn, reason }: { onSignedIn: () => void; reason: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
