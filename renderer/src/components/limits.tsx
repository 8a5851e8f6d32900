/** A workspace's limits in one line: CPUs · memory · shm · GPUs. */
import type { WorkspaceView } from '../../../main/api/dto';
import { formatBytes, formatCpus, formatGpus, limitsOf } from '../lib/format';

export function Limits({ w }: { w: WorkspaceView }) {
  const l = limitsOf(w);
  return (
    <span data-testid="limits">
      {formatCpus(l.cpus)} · {l.memory === null ? 'no memory limit' : formatBytes(l.memory)}
      {l.shm !== null && <> · shm {formatBytes(l.shm)}</>}
      {l.gpus && <> · GPUs {formatGpus(l.gpus)}</>}
    </span>
  );
}

export function StateBadge({ w }: { w: Pick<WorkspaceView, 'state' | 'status'> }) {
  return <span className={`state ${w.state}`} title={w.status || undefined}>{w.state}</span>;
}
