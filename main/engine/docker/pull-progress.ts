/**
 * Folds Docker's pull messages (one per layer and status) into an overall percentage a progress bar
 * can show. Only layers that need work count ("Already exists" ones cost nothing), weighted by their
 * size once known; download is 70% of a layer and extraction 30%. Docker announces layers one by
 * one, so the bar stays below 100% until the pull itself has finished.
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

function weightedFraction(layers: LayerProgress[]): number {
  const work = layers.filter((l) => l.status !== 'Already exists');
  if (work.length === 0) return 0;
  const sized = work.filter((l) => l.total > 0);
  // Until Docker reports a layer's size, assume it is as big as the average known one.
  const guess = sized.length ? sized.reduce((s, l) => s + l.total, 0) / sized.length : 1;
  const weight = (l: LayerProgress) => (l.total > 0 ? l.total : guess);
  const total = work.reduce((s, l) => s + weight(l), 0);
  return work.reduce((s, l) => s + layerFraction(l) * weight(l), 0) / total;
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
    // A progress bar must never move backwards, even when a late layer pulls the mean down.
    this.percent = Math.max(this.percent, Math.min(99, Math.floor(weightedFraction(layers) * 100)));
    return { phase: 'pull', image: this.image, percent: this.percent, message: `${m.id}: ${status}`, layers };
  }
}
