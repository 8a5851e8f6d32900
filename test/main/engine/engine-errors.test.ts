// main/engine/engine-errors.ts: each backend's raw refusal as a sentence with the field, the reason and the fix.
import { describe, expect, it } from 'vitest';
import { explainEngineText, registryOf } from '../../../main/engine/engine-errors';

const present = ['hubdeck-test/busybox-web:3', 'hubdeck-test/jupyter:1'];

describe('engine refusals as sentences', () => {
  it('names the registry an image pulls from', () => {
    expect(registryOf('quay.io/jupyter/base-notebook')).toBe('quay.io');
    expect(registryOf('debian')).toBe('docker.io');
    expect(registryOf('127.0.0.1:5000/x:1')).toBe('127.0.0.1:5000');
  });

  it('turns an unreachable registry into "cannot reach quay.io from this engine; images present here: …" (unavailable, exit 5)', () => {
    const raw = 'Get "https://quay.io/v2/": dial tcp: lookup quay.io on 10.255.255.53:53: no such host';
    const e = explainEngineText(raw, { image: 'quay.io/jupyter/base-notebook:latest', engine: 'Docker', present })!;
    expect(e).toMatchObject({ code: 'unavailable', field: 'image', engineText: raw });
    expect(e.message).toBe('image: cannot reach quay.io from this engine (Docker) to pull "quay.io/jupyter/base-notebook:latest"; images present here: hubdeck-test/busybox-web:3, hubdeck-test/jupyter:1');
    // Kubernetes words it inside an ErrImagePull; the sentence is the same
    const kube = 'Failed to pull image "quay.io/x": rpc error: code = Unknown desc = Error response from daemon: Get https://quay.io/v2/: dial tcp: lookup quay.io: Temporary failure in name resolution';
    expect(explainEngineText(kube, { image: 'quay.io/x', engine: 'Kubernetes' })!.message).toBe('image: cannot reach quay.io from this engine (Kubernetes) to pull "quay.io/x"');
  });

  it('says what to do when nothing is present', () => {
    const e = explainEngineText('dial tcp: i/o timeout', { image: 'x', engine: 'Docker', present: [] })!;
    expect(e.message).toMatch(/no images are present on this engine \(load some: npm run images, or docker load\)$/);
  });

  it('turns "No command specified" into a sentence about the image', () => {
    const e = explainEngineText('No command specified', { image: 'debian:bookworm', engine: 'Docker', present })!;
    expect(e).toMatchObject({ code: 'invalid', field: 'image' });
    expect(e.message).toMatch(/^image: "debian:bookworm" has no command to run \(no CMD or ENTRYPOINT\); pick an image made for workspaces/);
  });

  it('turns a missing image or tag into a sentence naming its registry', () => {
    const e = explainEngineText('manifest for 127.0.0.1:5000/nope:1 not found: manifest unknown', { image: '127.0.0.1:5000/nope:1', engine: 'Docker' })!;
    expect(e).toMatchObject({ code: 'invalid', field: 'image', message: 'image: "127.0.0.1:5000/nope:1" is not on 127.0.0.1:5000 (or needs a login the engine lacks); check its name and tag' });
  });

  it('leaves what a user did not cause to the caller', () => {
    expect(explainEngineText('oci runtime error: something broke', { image: 'x', engine: 'Docker' })).toBeNull();
  });
});
