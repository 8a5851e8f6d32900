/**
 * Settings (desktop): the app's preferences from the settings schema — theme, start at login,
 * notifications, the LAN address sharing listens on. Each change goes through the desktop API,
 * which validates it (zod) in the main process and answers the stored preferences.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { DesktopPreferences } from '../../../preload/desktop-contract';
import { desktop } from '../lib/desktop';
import { DesktopOnly } from './desktop-only';

export function SettingsPage() {
  if (!desktop) return <DesktopOnly title="Settings" what="These settings belong to the desktop app: theme, start at login, notifications." />;
  return <DesktopSettings />;
}

function DesktopSettings() {
  const d = desktop!;
  const [prefs, setPrefs] = useState<DesktopPreferences | null>(null);
  const [listen, setListen] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const load = async () => {
    const r = await d.preferences();
    if (r.ok) { setPrefs(r.value); setListen(r.value.shareListen ?? ''); } else setError(r.error.message);
  };
  useEffect(() => { void load(); return d.onChange(() => void load()); }, [d]);

  const save = async (patch: Partial<DesktopPreferences>, what: string) => {
    const r = await d.setPreferences(patch);
    if (r.ok) { setPrefs(r.value); setError(null); setSaved(`${what} saved.`); } else { setError(r.error.message); setSaved(null); }
  };
  const saveListen = (e: FormEvent) => {
    e.preventDefault();
    void save({ shareListen: listen.trim() === '' ? null : listen.trim() }, 'Sharing address');
  };

  return (
    <main id="main">
      <h1>Settings</h1>
      {error && <p role="alert" className="alert">{error}</p>}
      <p role="status" className="muted">{saved ?? ''}</p>
      {!prefs ? <p className="muted">Loading…</p> : (
        <>
          <section className="panel" aria-labelledby="s-app">
            <h2 id="s-app">App</h2>
            <label>Theme{' '}
              <select value={prefs.theme} onChange={(e) => void save({ theme: e.target.value as DesktopPreferences['theme'] }, 'Theme')}>
                <option value="system">System</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            </label>
            <p><label><input type="checkbox" checked={prefs.startAtLogin} onChange={(e) => void save({ startAtLogin: e.target.checked }, 'Start at login')} /> Start at login</label></p>
            <p><label><input type="checkbox" checked={prefs.notifications} onChange={(e) => void save({ notifications: e.target.checked }, 'Notifications')} /> Notifications</label></p>
          </section>
          <form className="panel" aria-labelledby="s-share" onSubmit={saveListen}>
            <h2 id="s-share">Sharing</h2>
            <label>Sharing address <input value={listen} placeholder="0.0.0.0:8443" onChange={(e) => setListen(e.target.value)} /></label>
            <p className="muted">The LAN address (host:port) Share this hub listens on; empty picks one.</p>
            <button type="submit">Save sharing address</button>
          </form>
        </>
      )}
    </main>
  );
}
