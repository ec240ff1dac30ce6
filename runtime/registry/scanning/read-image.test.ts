/**
 * The scanner's image reader on real layers: tar + gzip built here for the
 * layer rules (whiteouts, attribution, digest checks), and the hub mirror's
 * images read over HTTP from a real Distribution for the end-to-end match.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { assembleImage, type AssembledImage } from '../../images/fixtures/image-archive';
import { writeTar } from '../../images/fixtures/tar-writer';
import { apkInstalledDb } from '../../images/fixtures/alpine-fixture';
import { ensureImages } from '../../images/ensure-images';
import { ensureHub, type Hub } from '../../hub/ensure-hub';
import { readImage, registryBlobSource, type BlobSource } from './read-image';
import { alpineSecdbFeed } from './feeds/alpine-secdb';
import { matchVulnerabilities } from './match-vulnerabilities';

function memorySource(image: AssembledImage): BlobSource {
  return {
    manifest: async () => ({ digest: image.digest, layers: image.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: 'x' })) }),
    blob: async (digest) => Readable.from([image.layers.find((l) => l.digest === digest)!.data]),
  };
}

const pkg = (name: string, version: string) => ({ name, version, origin: name, description: name });
const file = (p: string, text: string) => ({ type: 'file' as const, path: p, data: Buffer.from(text) });

test('packages are attributed to the layer that introduced them; upgrades move, removals vanish', async () => {
  const image = assembleImage({
    layers: [
      writeTar([file('etc/alpine-release', '3.6.2\n'), file('lib/apk/db/installed', apkInstalledDb([pkg('musl', '1.1.16-r10'), pkg('zlib', '1.2.11-r0'), pkg('curl', '7.50.0-r0')]))]),
      writeTar([file('lib/apk/db/installed', apkInstalledDb([pkg('musl', '1.1.16-r14'), pkg('zlib', '1.2.11-r0'), pkg('jq', '1.5-r3')]))]),
    ],
    cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z',
  });
  const inv = await readImage(memorySource(image), 'x');
  assert.deepEqual(inv.distro?.versionId, '3.6.2');
  assert.deepEqual(inv.packages.map((p) => [p.name, p.version, p.layer]), [['zlib', '1.2.11-r0', 0], ['musl', '1.1.16-r14', 1], ['jq', '1.5-r3', 1]]);
  assert.deepEqual(inv.layers.map((l) => l.introduced.length), [3, 2]);
});

test('whiteouts and opaque directories remove lower layers\' databases', async () => {
  const status = 'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n';
  const image = assembleImage({
    layers: [
      writeTar([file('var/lib/dpkg/status', status), file('var/lib/dpkg/status.d/extra', 'Package: tzdata\nVersion: 2024a-0+deb12u1\n'), file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]),
      writeTar([file('var/lib/dpkg/.wh.status', ''), { type: 'dir', path: 'var/lib/dpkg/status.d' }, file('var/lib/dpkg/status.d/.wh..wh..opq', '')]),
    ],
    cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z',
  });
  const inv = await readImage(memorySource(image), 'x');
  assert.equal(inv.distro?.id, 'debian');
  assert.deepEqual(inv.packages, []);
  assert.equal(inv.layers[0].introduced.length, 2);
});

test('a layer that does not match its digest fails the read', async () => {
  const image = assembleImage({ layers: [writeTar([file('etc/alpine-release', '3.6.2\n')])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
  const source = memorySource(image);
  const wrong: BlobSource = { ...source, manifest: async () => ({ digest: 'x', layers: [{ digest: `sha256:${'0'.repeat(64)}`, size: 1, mediaType: 'x' }] }), blob: async () => Readable.from([image.layers[0].data]) };
  await assert.rejects(readImage(wrong, 'x'), /does not match its digest/);
});

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';
let hub: Hub;

before(async () => {
  if (skip) return;
  const tags = await ensureImages(docker, { names: ['hub'] });
  hub = await ensureHub(docker, tags.hub);
}, { timeout: 600_000 });

function bundledSecdb() {
  const root = path.resolve(import.meta.dirname, 'data/alpine-secdb');
  return alpineSecdbFeed(readdirSync(root).flatMap((b) => readdirSync(path.join(root, b)).map((f) => readFileSync(path.join(root, b, f), 'utf8'))));
}

test('scanning the hub\'s alpine:3.3 finds the known CVEs; alpine:3.6 scans clean', { skip, timeout: 120_000 }, async () => {
  const feed = bundledSecdb();
  const old = matchVulnerabilities(await readImage(registryBlobSource(hub.url, 'library/alpine'), '3.3'), [feed]);
  const byName = new Map(old.components.map((c) => [c.name, c.vulnerabilities.map((v) => v.id)]));
  assert.ok(byName.get('musl')?.includes('CVE-2016-8859'), JSON.stringify(byName.get('musl')));
  assert.ok((byName.get('libssl1.0')?.length ?? 0) > 5);
  assert.ok(byName.get('zlib')?.length);
  assert.ok(old.summary.unknown > 20, JSON.stringify(old.summary));
  assert.ok(old.components.every((c) => c.layer === 0));
  const fresh = matchVulnerabilities(await readImage(registryBlobSource(hub.url, 'library/alpine'), '3.6'), [feed]);
  assert.equal(fresh.components.length, 11);
  assert.deepEqual(fresh.summary, { critical: 0, major: 0, minor: 0, unknown: 0 });
});

test('the hub\'s debian image: real dpkg database, Debian 12', { skip, timeout: 120_000 }, async () => {
  const inv = await readImage(registryBlobSource(hub.url, 'library/debian'), 'bookworm-slim');
  assert.equal(inv.distro?.id, 'debian');
  assert.equal(inv.distro?.versionId, '12');
  assert.ok(inv.packages.length > 50);
  assert.ok(inv.packages.some((p) => p.name === 'libc6' && p.source === 'glibc'));
});
