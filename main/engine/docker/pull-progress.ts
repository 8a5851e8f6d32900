/**
 * Folds Docker's pull messages (one per layer and status) into an overall percentage a progress bar
 * can show. Download counts for 70% of a layer and extraction for 30%, since both take time.
 */
import type { LayerProgress, ProgressEvent } from '../engine';

export interface DockerPullMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

const DONE = new Set(['Pull complete', 'Already exists']);
const DOWNLOADED = new Set(['Verifying Checksum', 'Download complete']);

function layerFraction(l: LayerProgress): number {
  if (DONE.has(l.status)) return 1;
  if (DOWNLOADED.has(l.status)) return 0.7;
  const f = l.total > 0 ? Math.min(1, l.current / l.total) : 0;
  if (l.status === 'Downloading') return 0.7 * f;
  if (l.status === 'Extracting') return 0.7 + 0.3 * f;
  return 0;
}

export class PullProgress {
  private readonly layers = new Map<string, LayerProgress>();
  private percent = 0;

  constructor(private readonly image: string) {}

  /** Returns the event to publish, or null for messages that say nothing about progress. */
  update(m: DockerPullMessage): ProgressEvent | null {
    if (m.error) return null;
    const status = m.status ?? '';
    if (!m.id || status.startsWith('Pulling from') || status.startsWith('Digest') || status.startsWith('Status')) {
      return null;
    }
    const prev = this.layers.get(m.id);
    this.layers.set(m.id, {
      id: m.id,
      status,
      current: m.progressDetail?.current ?? (DONE.has(status) ? prev?.total ?? 0 : prev?.current ?? 0),
      total: m.progressDetail?.total ?? prev?.total ?? 0,
    });
    const layers = [...this.layers.values()];
    const mean = layers.reduce((s, l) => s + layerFraction(l), 0) / layers.length;
    // Layers announced late would pull the mean back; a progress bar must never move backwards.
    this.percent = Math.max(this.percent, Math.floor(mean * 100));
    return { phase: 'pull', image: this.image, percent: this.percent, message: `${m.id}: ${status}`, layers };
  }
}
