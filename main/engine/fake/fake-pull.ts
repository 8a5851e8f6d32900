/**
 * Image pulls in the fake world: an image the world lacks is "pulled" with per-layer progress
 * events shaped like Docker's (so progress bars are exercised), then present for later creates;
 * an image in the world's missing set fails as an unknown or private image does.
 */
import { HubdeckError } from '../../core/errors';
import { withDefaultTag } from '../../core/image-ref';
import { shortHash } from '../../core/names';
import type { CreateOptions, LayerProgress } from '../engine';
import { pause } from './fake-faults';
import type { FakeWorld } from './fake-world';

export async function pullImage(world: FakeWorld, image: string, opts: CreateOptions, delayMs: number): Promise<void> {
  const ref = withDefaultTag(image);
  if (world.images.has(ref)) return;
  const emit = (percent: number, message: string, layers: LayerProgress[]) =>
    opts.onProgress?.({ phase: 'pull', image, percent, message, layers: layers.map((l) => ({ ...l })) });
  emit(0, `pulling ${image}`, []);
  if (world.missingImages.has(ref)) {
    throw new HubdeckError('invalid', `image: cannot pull "${image}": manifest for ${ref} not found: manifest unknown`, 'image');
  }
  const layers: LayerProgress[] = [0, 1, 2].map((i) => ({ id: shortHash(`${ref}#${i}`).slice(0, 12), status: 'Pulling fs layer', current: 0, total: (i + 1) * 1024 * 1024 }));
  const steps: [string, number][] = [['Downloading', 0.5], ['Download complete', 1], ['Extracting', 0.5], ['Pull complete', 1]];
  let done = 0;
  const total = layers.length * steps.length;
  for (const l of layers) {
    for (const [status, f] of steps) {
      await pause(delayMs / total, opts.signal);
      l.status = status;
      l.current = Math.round(l.total * f);
      done += 1;
      emit(Math.min(99, Math.floor((done / total) * 100)), `${l.id}: ${status}`, layers);
    }
  }
  world.images.add(ref);
  emit(100, `pulled ${image}`, []);
}
