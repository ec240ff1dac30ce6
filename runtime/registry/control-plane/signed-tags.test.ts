/**
 * signedTags against a real notary-server (the registry image's, in memory
 * with its local signer) holding trust data the real notary CLI published:
 * tags signed by targets, by a delegation, by both, and a repository with none.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { ensureImages } from '../../images/ensure-images';
import { LABELS } from '../../provisioner/provisioner';
import { Demuxer } from '../../provisioner/docker/demux';
import { createSignedTags } from './signed-tags';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';

const SERVER_CONFIG = JSON.stringify({
  server: { http_addr: ':4443' },
  trust_service: { type: 'local', key_algorithm: 'ecdsa' },
  storage: { backend: 'memory' },
  logging: { level: 'error' },
});
const GUN = 'dtr.labdock/admin/alpine';
const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

let container: Docker.Container;
let network: Docker.Network;
let ip = '';

before(async () => {
  if (skip) return;
  const images = await ensureImages(docker, { names: ['registry'] });
  const labels = { [LABELS.managed]: 'true', [LABELS.session]: `signedtags${process.pid}` };
  const name = `labdock-signedtags-${process.pid}-${randomBytes(3).toString('hex')}`;
  network = docker.getNetwork((await docker.createNetwork({ Name: name, Labels: labels })).id);
  container = await docker.createContainer({
    Image: images.registry, Labels: labels, Entrypoint: ['sh', '-c'],
    Cmd: [`printf '%s' '${SERVER_CONFIG}' > /tmp/server.json && exec notary-server -config /tmp/server.json`],
    HostConfig: { NetworkMode: name },
  });
  await container.start();
  ip = (await container.inspect()).NetworkSettings.Networks[name].IPAddress;
  for (let i = 0; i < 100 && !(await fetch(`http://${ip}:4443/_notary_server/health`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  // The notary CLI publishes: targets signs `v1` and `both`; delegate targets/releases signs `v2` and `both`.
  await execIn(container, `set -e
export NOTARY_ROOT_PASSPHRASE=rootpass123 NOTARY_TARGETS_PASSPHRASE=repopass123 NOTARY_SNAPSHOT_PASSPHRASE=repopass123 NOTARY_DELEGATION_PASSPHRASE=repopass123
n() { notary -s http://127.0.0.1:4443 -d /tmp/trust "$@"; }
cd /tmp && printf v1 > v1 && printf v2 > v2 && printf both > both
n init ${GUN} && n add ${GUN} v1 v1 && n add ${GUN} both both && n publish ${GUN}
openssl genrsa -out d.key 2048 2>/dev/null && openssl req -new -x509 -key d.key -out d.crt -subj /CN=delegate -days 30
n key import d.key --role user
n delegation add ${GUN} targets/releases d.crt --all-paths && n publish ${GUN}
n add ${GUN} v2 v2 -r targets/releases && n add ${GUN} both both -r targets/releases && n publish ${GUN}
n list ${GUN} -r targets/releases | grep -q '^v2 '`);
}, { timeout: 600_000 });

after(async () => {
  await container?.remove({ force: true }).catch(() => undefined);
  await network?.remove().catch(() => undefined);
});

test('signedTags: every signed tag with its digest and signing roles; unsigned ones absent', { skip }, async () => {
  const signedTags = createSignedTags({ notary: { host: ip, port: 4443 }, host: 'dtr.labdock' });
  const tags = await signedTags('admin/alpine');
  assert.deepEqual(Object.fromEntries(tags), {
    v1: { digest: sha('v1'), roles: ['targets'] },
    v2: { digest: sha('v2'), roles: ['targets/releases'] },
    both: { digest: sha('both'), roles: ['targets/releases', 'targets'] },
  });
});

test('signedTags: no trust data is an empty map; no notary is an empty map; an unreachable one throws', { skip }, async () => {
  assert.equal((await createSignedTags({ notary: { host: ip, port: 4443 }, host: 'dtr.labdock' })('admin/other')).size, 0);
  assert.equal((await createSignedTags({ host: 'dtr.labdock' })('admin/alpine')).size, 0);
  await assert.rejects(createSignedTags({ notary: { host: ip, port: 1 }, host: 'dtr.labdock' })('admin/alpine'), /ECONNREFUSED/);
});

/** Runs a shell script in the container; rejects with its output when it fails. */
async function execIn(c: Docker.Container, script: string): Promise<string> {
  const exec = await c.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  let out = '';
  const demux = new Demuxer((payload) => (out += Buffer.from(payload).toString('utf8')));
  stream.on('data', (chunk: Buffer) => demux.push(chunk));
  await new Promise((r) => stream.on('end', r));
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw new Error(`script exited ${ExitCode}:\n${out}`);
  return out;
}
