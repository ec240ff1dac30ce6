/**
 * Images issue, on a real engine: the hub mirror serves the lab images, a node
 * pulls alpine:3.6 through it with no internet and runs it; fixture digests
 * are reproducible; the alpine fixtures really are vulnerable (3.3) and clean
 * (3.6) against the bundled secdb; the registry image starts distribution.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { isolationOrNone } from '../engine/engine-isolation';
import { parse } from 'yaml';
import { ensureImages } from '../images/ensure-images';
import { baseTag } from '../images/image-set';
import { hostDebianMirror } from '../images/build-base';
import { ALPINE_FIXTURES } from '../images/fixtures/alpine-fixture';
import { compareApkVersions } from '../registry/scanning/apk-version';
import { createDockerProvisioner } from '../provisioner/docker/docker-provisioner';
import { LABELS } from '../provisioner/provisioner';
import { ensureHub, type Hub } from './ensure-hub';
import { buildFixtures, preloadHub, readFileFromImage } from './preload-hub';

const docker = new Docker();
const isolation = await isolationOrNone(docker);
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';
let tags: Record<string, string> = {};
let hub: Hub;

before(async () => {
  if (skip) return;
  tags = await ensureImages(docker, { names: ['node', 'hub', 'registry'], onProgress: (e) => e.state !== 'cached' && console.log(`[images] ${e.image} ${e.state}: ${e.message}`) });
  hub = await ensureHub(docker, tags.hub);
  await preloadHub(docker, hub, { hubImage: tags.hub, baseImage: baseTag(hostDebianMirror()) });
}, { timeout: 1_200_000 });

type Secdb = { packages: { pkg: { name: string; secfixes: Record<string, string[]> } }[] };
function secdb(branch: string): Map<string, string[]> {
  const file = path.resolve(import.meta.dirname, `../registry/scanning/data/alpine-secdb/${branch}/main.yaml`);
  const data = parse(readFileSync(file, 'utf8')) as Secdb;
  return new Map(data.packages.map((p) => [p.pkg.name, Object.keys(p.pkg.secfixes).filter((v) => v !== '0')]));
}

test('alpine:3.6 fixture is at or above every fixed version in the v3.6 secdb', () => {
  const fixes = secdb('v3.6');
  let matched = 0;
  for (const p of ALPINE_FIXTURES['3.6'].packages) {
    for (const fixed of fixes.get(p.origin) ?? []) {
      matched++;
      assert.ok(compareApkVersions(p.version, fixed) >= 0, `${p.name} ${p.version} (origin ${p.origin}) is below fix ${fixed}`);
    }
  }
  assert.ok(matched >= 5, `the fixture's packages should meet the secdb (${matched} fixes compared)`);
});

test('alpine:3.3 fixture is below fixed versions in the v3.3 secdb for musl, busybox, openssl and zlib', () => {
  const fixes = secdb('v3.3');
  const vulnerable = new Set<string>();
  for (const p of ALPINE_FIXTURES['3.3'].packages) {
    if ((fixes.get(p.origin) ?? []).some((fixed) => compareApkVersions(p.version, fixed) < 0)) vulnerable.add(p.origin);
  }
  for (const origin of ['musl', 'busybox', 'openssl', 'zlib']) assert.ok(vulnerable.has(origin), `${origin} should be vulnerable`);
});

test('fixture images are reproducible: two builds, same digests', { skip }, async () => {
  const busybox = await readFileFromImage(docker, tags.hub, '/bin/busybox');
  const a = buildFixtures(busybox);
  const b = buildFixtures(Buffer.from(busybox));
  for (const ref of Object.keys(a)) assert.equal(a[ref].digest, b[ref].digest, ref);
  assert.notEqual(a['library/alpine:3.3'].digest, a['library/alpine:3.6'].digest);
});

test('a node pulls alpine:3.6 and busybox through the hub mirror with no internet, and runs them', { skip, timeout: 240_000 }, async (t) => {
  const p = createDockerProvisioner({
    docker, resolveImage: () => tags.node, isolation, instance: `hubtest-${process.pid}`,
    attach: [{ container: hub.container, alias: hub.alias }], nodeEnv: { LABDOCK_REGISTRY_MIRROR: hub.mirror },
  });
  const id = `th${process.pid}`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  // The session network is internal: nothing but the mirror can answer.
  const net = await docker.getNetwork(`labdock-${id}`).inspect();
  assert.equal(net.Internal, true);
  const started = Date.now();
  const pull = await p.exec(id, 'node1', 'docker pull -q alpine:3.6 && docker pull -q busybox && docker pull -q alpine:3.3', { timeoutMs: 120_000 });
  assert.equal(pull.exitCode, 0, pull.output);
  console.log(`pulled 3 images through the mirror in ${Date.now() - started} ms`);
  const r = await p.exec(id, 'node1', 'docker run --rm alpine:3.6 cat /etc/alpine-release && docker run --rm busybox echo busybox-ok && docker run --rm alpine:3.3 sh -c "grep -m1 -A1 ^P:musl /lib/apk/db/installed"', { timeoutMs: 120_000 });
  assert.equal(r.exitCode, 0, r.output);
  assert.equal(r.output, '3.6.2\nbusybox-ok\nP:musl\nV:1.1.12-r5\n');
  // Destroying the session detaches the hub but leaves it running for others.
  await p.destroySession(id);
  const info = await docker.getContainer(hub.container).inspect();
  assert.equal(info.State.Running, true);
  assert.ok(!Object.keys(info.NetworkSettings.Networks).includes(`labdock-${id}`));
});

test('the registry image starts distribution and passes its health check', { skip, timeout: 120_000 }, async (t) => {
  const container = await docker.createContainer({
    Image: tags.registry,
    Labels: { [LABELS.managed]: 'true', [LABELS.session]: `regtest${process.pid}` },
    HostConfig: { NetworkMode: 'labdock-hub' },
  });
  t.after(() => container.remove({ force: true, v: true }));
  await container.start();
  const deadline = Date.now() + 60_000;
  let health = '';
  while (Date.now() < deadline) {
    health = (await container.inspect()).State.Health?.Status ?? '';
    if (health === 'healthy') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(health, 'healthy');
  const ip = (await container.inspect()).NetworkSettings.Networks['labdock-hub'].IPAddress;
  const res = await fetch(`http://${ip}:5000/v2/`);
  assert.equal(res.status, 200);
  const versions = await container.exec({ Cmd: ['sh', '-c', 'docker-registry --version; notary-server --help 2>&1 | head -1; node --version'], AttachStdout: true, AttachStderr: true });
  const out = await new Promise<string>((resolve) => versions.start({}, (_e, stream) => {
    let text = '';
    stream?.on('data', (d: Buffer) => (text += d.toString()));
    stream?.on('end', () => resolve(text));
  }));
  assert.match(out, /2\.8\./);
  assert.match(out, /v1\d\./);
});

test('with an upstream set, the hub is a pull-through cache: nodes get the upstream\'s images', { skip, timeout: 240_000 }, async (t) => {
  // The real hub stands in for Docker Hub: the proxy below has no fixtures of its own.
  const name = `labdock-hub-proxytest-${process.pid}`;
  t.after(async () => {
    await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    await docker.getVolume(`${name}-data`).remove().catch(() => undefined);
  });
  const proxy = await ensureHub(docker, tags.hub, { upstream: hub.url, name });
  assert.equal(proxy.upstream, hub.url);
  const p = createDockerProvisioner({
    docker, resolveImage: () => tags.node, isolation, instance: `proxytest-${process.pid}`,
    attach: [{ container: proxy.container, alias: proxy.alias }], nodeEnv: { LABDOCK_REGISTRY_MIRROR: proxy.mirror },
  });
  const id = `tp${process.pid}`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  const r = await p.exec(id, 'node1', 'docker pull -q busybox >/dev/null && docker run --rm busybox echo via-proxy', { timeoutMs: 120_000 });
  assert.equal(r.output, 'via-proxy\n');
  const catalog = (await (await fetch(`${proxy.url}/v2/_catalog`)).json()) as { repositories: string[] };
  assert.ok(catalog.repositories.includes('library/busybox'), 'the proxy cached what it served');
  // Pushing into a pull-through cache is refused: it mirrors, it does not store.
  const push = await fetch(`${proxy.url}/v2/library/x/blobs/uploads/`, { method: 'POST' });
  assert.notEqual(push.status, 202);
});
