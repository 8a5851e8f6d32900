/**
 * `npm run bench:ssh`: 200 MB into a workspace through the hub's SSH gateway versus OpenSSH's own
 * sshd running inside the same workspace (an image that has it), with the same stock OpenSSH
 * client, interleaved: `ssh host 'cat > /dev/null' < file` and `scp file host:/tmp/`. The image is
 * the offline test image with Debian's openssh-server (TEST_IMAGES.sshd).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SshGateway } from '../../main/access/ssh-gateway';
import { api, startApiHub } from '../support/api-hub';
import { docker } from '../support/docker-fixture';
import { TEST_IMAGES } from '../support/test-images';

const IMAGE = TEST_IMAGES.sshd;
const MB = 200;
const ROUNDS = 5;

/** The test image with OpenSSH's server (scripts/build-test-images.sh builds it once, cached by tag). */
function ensureImage(): void {
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' });
  } catch {
    console.log(`building ${IMAGE}…`);
    execFileSync('bash', [path.join(__dirname, '../../scripts/build-test-images.sh')], { stdio: 'inherit' });
  }
}

function timed(cmd: string, args: string[], stdinFile?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = execFile(cmd, args, { maxBuffer: 1 << 20 }, (err, _out, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(performance.now() - t0);
    });
    if (stdinFile) fs.createReadStream(stdinFile).pipe(child.stdin!);
    else child.stdin!.end();
  });
}

async function main(): Promise<void> {
  ensureImage();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-bench-ssh-'));
  const key = path.join(tmp, 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const pub = fs.readFileSync(`${key}.pub`, 'utf8').trim();
  const file = path.join(tmp, 'payload');
  execFileSync('head', ['-c', String(MB * 1e6), '/dev/urandom'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });

  const h = await startApiHub('bench-ssh', { engine: 'docker' });
  try {
    const admin = { user: 'admin', admin: true };
    await api(h.url, 'POST', '/images', h.adminToken, { name: 'sshd', ref: IMAGE });
    const w = (await api(h.url, 'POST', '/workspaces?wait=1&timeout=180', h.adminToken, { name: 'w', image: IMAGE, volume: false })).body as { id: string };
    await h.hub.keys.add(admin, 'admin', { key: pub });
    // OpenSSH's sshd in the workspace, for jovyan with the same key.
    const setup = `mkdir -p ~/.ssh && echo '${pub}' > ~/.ssh/authorized_keys && chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys`;
    execFileSync('docker', ['exec', w.id, 'sh', '-c', setup]);
    execFileSync('docker', ['exec', '-u', 'root', w.id, '/usr/sbin/sshd', '-p', '2222', '-o', 'PasswordAuthentication=no']);
    const ip = Object.values((await docker.getContainer(w.id).inspect()).NetworkSettings.Networks)[0]!.IPAddress;

    const gateway = new SshGateway({ hub: h.hub, hostKeys: (await h.hub.hostKey()).keys });
    const { port } = await gateway.listen('127.0.0.1', 0);
    const common = ['-F', '/dev/null', '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
    const targets = {
      'hubdeck gateway': { ssh: [...common, '-p', String(port), 'admin.w@127.0.0.1'], scp: [...common, '-P', String(port)], dest: 'admin.w@127.0.0.1' },
      'sshd in the workspace': { ssh: [...common, '-p', '2222', `jovyan@${ip}`], scp: [...common, '-P', '2222'], dest: `jovyan@${ip}` },
    };
    const results: Record<string, { cat: number[]; scp: number[] }> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, t] of Object.entries(targets)) {
        const r = (results[name] ??= { cat: [], scp: [] });
        r.cat.push(MB / ((await timed('ssh', [...t.ssh, 'cat > /dev/null'], file)) / 1000));
        r.scp.push(MB / ((await timed('scp', [...t.scp, file, `${t.dest}:/tmp/payload`])) / 1000));
      }
    }
    await gateway.close();
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`${MB} MB with the stock OpenSSH client (${execFileSync('ssh', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || 'OpenSSH'}); median of ${ROUNDS} interleaved rounds`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`  ${name.padEnd(24)} ssh 'cat > /dev/null' ${mid(r.cat).toFixed(1)} MB/s, scp ${mid(r.scp).toFixed(1)} MB/s`);
    }
    const g = results['hubdeck gateway']!;
    const s = results['sshd in the workspace']!;
    console.log(`  ratio (gateway / sshd): cat ${(mid(g.cat) / mid(s.cat)).toFixed(2)}×, scp ${(mid(g.scp) / mid(s.scp)).toFixed(2)}× (goal ≥ 0.8×)`);
  } finally {
    await h.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().then(() => process.exit(0), (e: Error) => {
  console.error(e);
  process.exit(1);
});
