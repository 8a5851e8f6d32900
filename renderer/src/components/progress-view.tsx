/** A create's progress (JupyterHub style): one bar, the current step, and per-layer pull detail. */
import type { ProgressEvent } from '../../../main/api/dto';
import { formatBytes } from '../lib/format';
import { stepLabel } from '../lib/progress';

/** `percent` is the overall one (lib/progress.ts), `progress` the latest event. */
export function ProgressView({ progress, percent }: { progress: ProgressEvent | null; percent: number }) {
  return (
    <div className="panel" aria-live="polite">
      <div className="spread">
        <strong id="create-progress-label">{stepLabel(progress)}</strong>
        <span className="mono">{percent}%</span>
      </div>
      <progress aria-labelledby="create-progress-label" max={100} value={percent} />
      <p className="muted" data-testid="progress-message">{progress?.message ?? 'Sending the request…'}</p>
      {progress?.phase === 'pull' && progress.layers.length > 0 && (
        <ul className="progress-layers" aria-label="Image layers">
          {progress.layers.map((l) => (
            <li key={l.id}><span className="mono">{l.id.slice(0, 12)}</span> {l.status}{l.total > 0 ? ` ${formatBytes(l.current)} / ${formatBytes(l.total)}` : ''}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
