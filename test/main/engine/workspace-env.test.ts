// One workspace environment for every engine (main/engine/workspace-env.ts): Docker's container,
// Swarm's service, Kubernetes' pod and the fake's container all carry the user's variables plus
// exactly the hub's (base URL, web port, NOTEBOOK_ARGS, the token), with the hub's winning.
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { envFromList, RESERVED_ENV } from '../../../main/core/env-vars';
import { parseWorkspaceRequest } from '../../../main/core/workspace-spec';
import { planContainer } from '../../../main/engine/docker/container-plan';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { planPod } from '../../../main/engine/kubernetes/kube-plan';
import { planService } from '../../../main/engine/swarm/swarm-plan';
import { hubEnv, workspaceEnv } from '../../../main/engine/workspace-env';
import { TEST_IMAGES } from '../../support/test-images';

const spec = parseWorkspaceRequest({ user: 'alice', name: 'nb', image: TEST_IMAGES.busybox, webPort: 9000, env: { A: '1', B: 'two words' } }, { now: new Date() });
const expected = workspaceEnv(spec, 'tok');
const fake = new FakeEngine({ kind: 'fake', origin: 'env-test' });
afterAll(() => fake.close());

describe('workspaceEnv', () => {
  it('is the user env plus the hub\'s, every hub key reserved so the user cannot override it', () => {
    expect(expected).toEqual({
      A: '1', B: 'two words',
      HUBDECK_USER: 'alice', HUBDECK_WORKSPACE: 'nb', HUBDECK_BASE_URL: '/user/alice/nb/', HUBDECK_WEB_PORT: '9000',
      JUPYTERHUB_SERVICE_PREFIX: '/user/alice/nb/', NOTEBOOK_ARGS: '--ServerApp.base_url=/user/alice/nb/ --ServerApp.port=9000', JUPYTER_TOKEN: 'tok',
    });
    // NOTEBOOK_ARGS is not reserved: a user may pass their own Jupyter arguments on engines that
    // read it — and the hub's still wins, since it is set after the user's.
    expect(Object.keys(hubEnv(spec, 'tok')).filter((k) => !RESERVED_ENV.test(k))).toEqual(['NOTEBOOK_ARGS']);
    expect(workspaceEnv({ ...spec, env: { NOTEBOOK_ARGS: 'mine' } }, 'tok').NOTEBOOK_ARGS).toBe(expected.NOTEBOOK_ARGS);
  });
});

describe('every engine carries the same environment', () => {
  it('docker: the container create body', () => {
    expect(envFromList(planContainer(spec, 'hub', 'tok').create.Env!)).toEqual(expected);
  });

  it('swarm: the service\'s container spec', () => {
    const plan = planService(spec, { origin: 'hub', webToken: 'tok', rules: { constraints: [], preferences: [] }, start: true });
    expect(envFromList((plan.spec.TaskTemplate as Docker.ContainerTaskSpec).ContainerSpec!.Env!)).toEqual(expected);
  });

  it('kubernetes: the pod, with the token from its Secret rather than in the pod spec', () => {
    const env = planPod(spec, 'hub', { name: 'r', uid: 'u-1' }).spec!.containers[0]!.env!;
    const plain = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    const { JUPYTER_TOKEN: _token, ...rest } = expected;
    expect(plain).toEqual(rest);
    expect(env.filter((e) => e.name === 'JUPYTER_TOKEN').map((e) => e.valueFrom?.secretKeyRef?.key)).toEqual(['token']);
  });

  it('fake: the container (over the image\'s own PATH, HOME and HOSTNAME)', async () => {
    await fake.create(spec);
    const c = [...fake.world.containers.values()].find((x) => x.name.includes('nb'))!;
    const { PATH: _p, HOME: _h, HOSTNAME: _n, ...env } = c.env;
    expect(env).toEqual(workspaceEnv(spec, c.token!));
  });
});
