/**
 * Time left before a workspace expires, ticking, with Extend (by a number of days). The dialog says
 * the expiry the extension would give before it is made, and shows the hub's refusal itself.
 */
import { useState } from 'react';
import type { WorkspaceView } from '../../../main/api/dto';
import { MAX_DAYS } from '../../../main/api/requests';
import { expiresSoon, extendedExpiry, formatDate, formatExpiryPreview, timeLeft } from '../lib/format';
import { useHub } from '../lib/hub-context';
import { useNow } from '../lib/use-now';
import { ConfirmDialog } from './confirm-dialog';
import { errorMessage } from '../../../main/api/error-codes';

export function Expiry({ w, onDone }: { w: WorkspaceView; onDone?: (w: WorkspaceView) => void }) {
  const now = useNow(1000);
  const [asking, setAsking] = useState(false);
  return (
    <span className="row nowrap">
      {w.expiresAt
        ? <span className={expiresSoon(w.expiresAt, now) ? 'expiring' : undefined} title={formatDate(w.expiresAt)} data-testid="expiry">expires in {timeLeft(w.expiresAt, now)}</span>
        : <span className="muted" data-testid="expiry">never expires</span>}
      <button type="button" className="link" onClick={() => setAsking(true)} aria-label={`Extend ${w.name}`}>Extend</button>
      {asking && <ExtendDialog w={w} now={now} onClose={() => setAsking(false)} onDone={onDone} />}
    </span>
  );
}

function ExtendDialog({ w, now, onClose, onDone }: { w: WorkspaceView; now: number; onClose: () => void; onDone?: (w: WorkspaceView) => void }) {
  const { client } = useHub();
  const [days, setDays] = useState('7');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = extendedExpiry(w.expiresAt, Number(days), now);
  const extend = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone?.(await client.extendWorkspace({ user: w.user, name: w.name, body: { days: Number(days) } }));
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog title={`Extend ${w.name}`} confirmLabel="Extend" busy={busy || next === null} error={error} onCancel={onClose} onConfirm={() => void extend()}>
      <div className="field">
        <label htmlFor="extend-days">Days to add</label>
        <input id="extend-days" type="number" min="0.1" max={MAX_DAYS} step="any" value={days} onChange={(e) => { setDays(e.target.value); setError(null); }} required aria-describedby="extend-preview" />
        <span id="extend-preview" className="hint" data-testid="extend-preview" aria-live="polite">
          {next === null ? 'Give a number of days above 0.' : `new expiry: ${formatExpiryPreview(next, now)}`}
        </span>
      </div>
    </ConfirmDialog>
  );
}
