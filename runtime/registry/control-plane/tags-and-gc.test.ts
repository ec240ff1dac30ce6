/**
 * Tags, soft deletes, tag limits and garbage collection against a real
 * Distribution sharing its storage with the control plane, and Distribution's
 * real collector: what a soft delete leaves on disk, what a hard delete frees,
 * and that the registry refuses writes while it collects.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { assembleImage } from '../../images/fixtures/image-archive';
import { writeTar } from '../../images/fixtures/tar-writer';
import { pushImage } from '../../images/fixtures/push-image';
import { startTestRegistry } from './test-registry';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';

let reg: Awaited<ReturnType<typeof startTestRegistry>>;
/** An image with a layer of its own: its blobs are freed only when it goes. */
const imageOf = (text: string) => assembleImage({ layers: [writeTar([{ type: 'file', path: 'data', data: Buffer.from(`${text}\n`.repeat(1000)) }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
const MANIFEST = { accept: 'application/vnd.docker.distribution.manifest.v2+json' };
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

before(async () => {
  if (skip) return;
  reg = await startTestRegistry(docker);
  for (const [name, globalRole] of [['moby', 'read-only'], ['ahab', 'none']]) {
    assert.equal((await reg.api('POST', 'accounts', { type: 'user', name, password: `${name}-password`, globalRole })).status, 201);
  }
}, { timeout: 600_000 });

after(async () => {
  await reg?.stop();
});

test('tags: listed newest first; a soft delete removes one tag and leaves the manifest; who may do what', { skip }, async () => {
  for (const tag of ['1', '2', '3']) await pushImage(reg.base, 'admin/tags', tag, imageOf(`tags-${tag}`), reg.auth('admin'));
  const list = await json(await reg.api('GET', 'repositories/admin/tags/tags'));
  const tags = list.tags as { name: string; digest: string }[];
  assert.deepEqual(tags.map((t) => t.name), ['3', '2', '1']);
  assert.equal(tags[2].digest, imageOf('tags-1').digest);
  assert.equal((await reg.api('GET', 'repositories/admin/tags/tags', undefined, 'moby')).status, 200);
  assert.equal((await reg.api('GET', 'repositories/admin/tags/tags', undefined, 'ahab')).status, 404, 'not even its existence');
  assert.equal((await reg.api('DELETE', 'repositories/admin/tags/tags/1', undefined, 'moby')).status, 403);

  assert.equal((await reg.api('DELETE', 'repositories/admin/tags/tags/1')).status, 204);
  assert.equal((await reg.api('DELETE', 'repositories/admin/tags/tags/1')).status, 404);
  assert.equal((await reg.api('DELETE', 'repositories/admin/tags/tags/-x')).status, 400);
  assert.equal((await fetch(`${reg.base}/v2/admin/tags/manifests/1`, { method: 'HEAD', headers: { ...reg.auth('admin'), ...MANIFEST } })).status, 404);
  // Soft: the manifest is still there by digest until garbage collection.
  assert.equal((await fetch(`${reg.base}/v2/admin/tags/manifests/${tags[2].digest}`, { method: 'HEAD', headers: { ...reg.auth('admin'), ...MANIFEST } })).status, 200);
  const after = (await json(await reg.api('GET', 'repositories/admin/tags/tags'))).tags as { name: string }[];
  assert.deepEqual(after.map((t) => t.name), ['3', '2']);
});

test('tag limit: first in, first out; the setting is validated', { skip }, async () => {
  assert.equal((await reg.api('PATCH', 'repositories/admin/tags', { tagLimit: -1 })).status, 400);
  assert.equal((await reg.api('PATCH', 'repositories/admin/tags', { tagLimit: 2 }, 'moby')).status, 403);
  const set = await json(await reg.api('PATCH', 'repositories/admin/tags', { tagLimit: 2 }));
  assert.equal(set.tagLimit, 2);
  await pushImage(reg.base, 'admin/tags', '4', imageOf('tags-4'), reg.auth('admin'));
  const tags = (await json(await reg.api('GET', 'repositories/admin/tags/tags'))).tags as { name: string }[];
  assert.deepEqual(tags.map((t) => t.name), ['4', '3'], 'pushing a third tag pushed out the oldest');
  // Re-pushing a kept tag makes it the newest; the other one goes next.
  await pushImage(reg.base, 'admin/tags', '3', imageOf('tags-3b'), reg.auth('admin'));
  await pushImage(reg.base, 'admin/tags', '5', imageOf('tags-5'), reg.auth('admin'));
  assert.deepEqual(((await json(await reg.api('GET', 'repositories/admin/tags/tags'))).tags as { name: string }[]).map((t) => t.name), ['5', '3']);
});

test('garbage collection: schedule, a run frees what soft deletes left, writes wait meanwhile; only admins', { skip }, async () => {
  assert.equal((await reg.api('GET', 'gc', undefined, 'moby')).status, 403);
  const bad = await reg.api('PUT', 'gc/schedule', { schedule: '61 * * * *' });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { errors: { message: string }[] }).errors[0].message, /minute: 61/);
  const scheduled = await json(await reg.api('PUT', 'gc/schedule', { schedule: '0 0 0 * * *' }));
  const midnight = new Date();
  midnight.setUTCHours(24, 0, 0, 0);
  assert.deepEqual({ schedule: scheduled.schedule, nextRunAt: scheduled.nextRunAt }, { schedule: '0 0 0 * * *', nextRunAt: midnight.toISOString() });

  const doomed = imageOf('doomed');
  await pushImage(reg.base, 'admin/gc', 'old', doomed, reg.auth('admin'));
  await pushImage(reg.base, 'admin/gc', 'keep', imageOf('kept'), reg.auth('admin'));
  assert.equal((await reg.api('DELETE', 'repositories/admin/gc/tags/old')).status, 204);
  const before = reg.storage.blobUsage();
  const run = await json(await reg.api('POST', 'gc/run'));
  assert.equal(run.status, 'completed', String(run.error));
  // The doomed image's layer, config and manifest; plus what the earlier tests soft-deleted or pruned.
  assert.ok((run.blobsDeleted as number) >= 3, `blobs deleted: ${run.blobsDeleted}`);
  assert.equal(run.freedBytes, before.bytes - reg.storage.blobUsage().bytes);
  const blob = (d: string) => fetch(`${reg.base}/v2/admin/gc/blobs/${d}`, { method: 'HEAD', headers: reg.auth('admin') });
  assert.equal((await blob(doomed.layers[0].digest)).status, 404, 'hard deleted');
  assert.equal((await fetch(`${reg.base}/v2/admin/gc/manifests/keep`, { method: 'HEAD', headers: { ...reg.auth('admin'), ...MANIFEST } })).status, 200, 'tagged images stay');
  await pushImage(reg.base, 'admin/gc', 'old', doomed, reg.auth('admin')); // and the registry takes the same image again
  const status = await json(await reg.api('GET', 'gc'));
  assert.equal((status.lastRun as { trigger: string }).trigger, 'manual');

  // Read-only while collecting: writes are refused with a reason, reads go on.
  const closing = reg.gate.close(5000, 0);
  await closing;
  try {
    await assert.rejects(pushImage(reg.base, 'admin/gc', 'new', imageOf('new'), reg.auth('admin')), /503.*read-only while garbage collection runs/);
    assert.equal((await reg.api('DELETE', 'repositories/admin/gc/tags/keep')).status, 503);
    assert.equal((await fetch(`${reg.base}/v2/admin/gc/manifests/keep`, { method: 'HEAD', headers: { ...reg.auth('admin'), ...MANIFEST } })).status, 200);
  } finally {
    reg.gate.open();
  }
  await pushImage(reg.base, 'admin/gc', 'new', imageOf('new'), reg.auth('admin'));
});

test('repository delete: gone from the API and the catalog; only with delete rights', { skip }, async () => {
  assert.equal((await reg.api('DELETE', 'repositories/admin/gc', undefined, 'moby')).status, 403);
  assert.equal((await reg.api('DELETE', 'repositories/admin/gc')).status, 204);
  assert.equal((await reg.api('GET', 'repositories/admin/gc')).status, 404);
  const catalog = (await json(await fetch(`${reg.base}/v2/_catalog`, { headers: reg.auth('admin') }))).repositories as string[];
  assert.ok(!catalog.includes('admin/gc'), catalog.join(','));
  assert.equal((await reg.api('DELETE', 'repositories/admin/gc')).status, 404);
});

test('a push racing a collection waits or is retried; afterwards its tag and every blob are there', { skip }, async () => {
  const racer = imageOf('racer');
  let refused = 0;
  const pushWithRetry = async () => {
    for (let i = 0; i < 200; i++) {
      try {
        return await pushImage(reg.base, 'admin/race', '1', racer, reg.auth('admin'));
      } catch (err) {
        if (!/503/.test(String(err))) throw err;
        refused++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error('the registry stayed read-only');
  };
  const [run] = await Promise.all([reg.api('POST', 'gc/run').then(json), pushWithRetry()]);
  assert.equal(run.status, 'completed');
  const head = (p: string) => fetch(`${reg.base}/v2/admin/race/${p}`, { method: 'HEAD', headers: { ...reg.auth('admin'), ...MANIFEST } });
  assert.equal((await head('manifests/1')).headers.get('docker-content-digest'), racer.digest);
  for (const blob of [...racer.layers, racer.config]) assert.equal((await head(`blobs/${blob.digest}`)).status, 200, `${blob.digest} (refused ${refused} times meanwhile)`);
});
