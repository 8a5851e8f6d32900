/** Time left before a workspace expires, ticking, with Extend (by a number of days). */
import { useState } from 'react';
import type { WorkspaceView } from '../../../main/api/dto';
import { expiresSoon, formatDate, timeLeft } from '../lib/format';
import { useHub } from '../lib/hub-context';
import { useNow } from '../lib/use-now';
import { ConfirmDialog } from './confirm-dialog';
import { errorMessage } from '../../../main/api/error-codes';

export function Expiry({ w, onError, onDone }: { w: WorkspaceView; onError: (m: string | null) => void; onDone?: (w: WorkspaceView) => void }) {
  const { client } = useHub();
  const now = useNow(1000);
  const [asking, setAsking] = useState(false);
  const [days, setDays] = useState('7');
  const [busy, setBusy] = useState(false);
  const extend = async () => {
    setBusy(true);
    onError(null);
    try {
      onDone?.(await client.extendWorkspace({ user: w.user, name: w.name, body: { days: Number(days) } }));
      setAsking(false);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row">
      {w.expiresAt
        ? <span className={expiresSoon(w.expiresAt, now) ? 'expiring' : undefined} title={formatDate(w.expiresAt)} data-testid="expiry">expires in {timeLeft(w.expiresAt, now)}</span>
        : <span className="muted" data-testid="expiry">never expires</span>}
      <button type="button" className="link" onClick={() => setAsking(true)}>Extend</button>
      {asking && (
        <ConfirmDialog title={`Extend ${w.name}`} confirmLabel="Extend" busy={busy} onCancel={() => setAsking(false)} onConfirm={() => void extend()}>
          <div className="field">
            <label htmlFor="extend-days">Days to add</label>
            <input id="extend-days" type="number" min="0.1" step="any" value={days} onChange={(e) => setDays(e.target.value)} required />
          </div>
        </ConfirmDialog>
      )}
    </span>
  );
}
