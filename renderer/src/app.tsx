/** The main window: the user's workspaces, with start and stop, live from hub events. */
import { useCallback, useEffect, useState } from 'react';
import type { WorkspaceView } from '../../main/api/dto';
import { hubClient } from './hub';

function formatMemory(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export function App() {
  const [items, setItems] = useState<WorkspaceView[]>([]);
  const [who, setWho] = useState<{ user: string; engine: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback((user: string) => {
    hubClient.listWorkspaces({ user }).then(setItems, (e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    let off: (() => void) | undefined;
    hubClient.info().then(async (info) => {
      setWho({ user: info.user.name, engine: info.engine.description });
      reload(info.user.name);
      // Every state change arrives as an event: no polling.
      off = await hubClient.subscribe((e) => { if (e.type.startsWith('workspace.')) reload(info.user.name); });
    }, (e: Error) => setError(e.message));
    return () => off?.();
  }, [reload]);

  const act = (verb: 'startWorkspace' | 'stopWorkspace', w: WorkspaceView) =>
    hubClient[verb]({ user: w.user, name: w.name }).then(() => reload(w.user), (e: Error) => setError(e.message));

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 16 }}>
      <h1 style={{ fontSize: 20 }}>Hubdeck</h1>
      <p style={{ color: '#555' }}>{who ? `${who.user} on ${who.engine}` : ''}</p>
      {error && <p role="alert" style={{ color: '#b00' }}>{error}</p>}
      <table>
        <thead>
          <tr><th align="left">Name</th><th align="left">State</th><th align="left">Image</th><th>CPUs</th><th>Memory</th><th>Expires</th><th /></tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.name}>
              <td>{w.name}</td>
              <td title={w.status}>{w.state}</td>
              <td>{w.image}</td>
              <td align="center">{w.spec?.cpus ?? w.limits?.cpus ?? '—'}</td>
              <td align="center">{formatMemory(w.spec?.memory ?? w.limits?.memory)}</td>
              <td>{w.expiresAt ?? 'never'}</td>
              <td>
                {w.state === 'running'
                  ? <button onClick={() => act('stopWorkspace', w)}>Stop</button>
                  : <button onClick={() => act('startWorkspace', w)}>Start</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && <p>No workspaces yet. Create one with <code>hubdeck workspace create NAME</code>.</p>}
    </main>
  );
}
