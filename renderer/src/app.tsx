/** The main window: the user's workspaces on the local engine, with start and stop. */
import { useCallback, useEffect, useState } from 'react';
import type { HubdeckApi, WorkspaceDto } from '../../preload/contract';

declare global {
  interface Window {
    hubdeck: HubdeckApi;
  }
}

function formatMemory(bytes: number | null): string {
  return bytes === null ? '—' : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export function App() {
  const [items, setItems] = useState<WorkspaceDto[]>([]);
  const [engine, setEngine] = useState('');
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    window.hubdeck['workspace:list']().then(setItems, (e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    reload();
    window.hubdeck['engine:describe']().then((d) => setEngine(`${d.user} on ${d.description}`), (e: Error) => setError(e.message));
    return window.hubdeck.on('workspaces:changed', setItems);
  }, [reload]);

  const act = (verb: 'workspace:start' | 'workspace:stop', name: string) =>
    window.hubdeck[verb](name).then(reload, (e: Error) => setError(e.message));

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 16 }}>
      <h1 style={{ fontSize: 20 }}>Hubdeck</h1>
      <p style={{ color: '#555' }}>{engine}</p>
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
              <td align="center">{w.cpus ?? '—'}</td>
              <td align="center">{formatMemory(w.memory)}</td>
              <td>{w.expiresAt ?? 'never'}</td>
              <td>
                {w.state === 'running'
                  ? <button onClick={() => act('workspace:stop', w.name)}>Stop</button>
                  : <button onClick={() => act('workspace:start', w.name)}>Start</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && <p>No workspaces yet. Create one with <code>hubdeck workspace create NAME</code>.</p>}
    </main>
  );
}
