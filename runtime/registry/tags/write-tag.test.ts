/**
 * One write path for tags, against a real Distribution: a promotion and a
 * push racing for a tag of an immutable repository meet the same lock and
 * the same rule — exactly one of them writes, the tag holds its digest, the
 * other is refused; and a promotion into a repository with a tag limit prunes
 * like a push (with the TAG_DELETE event).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { assembleImage, MEDIA } from '../../images/fixtures/image-archive';
import { writeTar } from '../../images/fixtures/tar-writer';
import { pushImage } from '../../images/fixtures/push-image';
import { startTestRegistry } from '../control-plane/test-registry';
import type { PromotionPolicy } from '../promotion/policy-store';
import type { PublishedEvent } from '../events/event-bus';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';

let reg: Awaited<ReturnType<typeof startTestRegistry>>;
const imageOf = (text: string) => assembleImage({ layers: [writeTar([{ type: 'file', path: 'x', data: Buffer.from(text) }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
const promoted = imageOf('promoted\n');
const pushed = imageOf('pushed\n');
const policy = (target: string): PromotionPolicy => ({
  id: `p-${target}`, sourceRepository: 'admin/source', targetRepository: target, tagTemplate: '%n', enabled: true, rules: [], createdBy: 'admin', createdAt: '', lastResult: null,
});

before(async () => {
  if (skip) return;
  reg = await startTestRegistry(docker);
  const admin = reg.auth('admin');
  assert.equal((await reg.api('POST', 'repositories/admin', { name: 'source' })).status, 201);
  assert.equal((await reg.api('POST', 'repositories/admin', { name: 'frozen', immutableTags: true })).status, 201);
  assert.equal((await reg.api('POST', 'repositories/admin', { name: 'limited', tagLimit: 2 })).status, 201);
  await pushImage(reg.base, 'admin/source', 'seed', promoted, admin);
  // The pushed image's blobs are in place: the race is over the manifest write alone.
  await pushImage(reg.base, 'admin/frozen', 'seed', pushed, admin);
}, { timeout: 600_000 });

after(async () => {
  await reg?.stop();
});

test('a promotion and a push racing on an immutable tag: exactly one writes, the tag holds its digest', { skip, timeout: 120_000 }, async () => {
  const admin = reg.auth('admin');
  const winners: string[] = [];
  for (let i = 0; i < 8; i++) {
    const tag = `race${i}`;
    // Alternate who starts first: the lock, not the order, must decide.
    const racers = [
      () => reg.promoter.promote(policy('admin/frozen'), tag, promoted.digest).then(() => 'promotion'),
      () => pushImage(reg.base, 'admin/frozen', tag, pushed, admin).then(() => 'push'),
    ];
    if (i % 2) racers.reverse();
    const results = await Promise.allSettled(racers.map((r) => r()));
    const ok = results.filter((r): r is PromiseFulfilledResult<string> => r.status === 'fulfilled').map((r) => r.value);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1, `${tag}: exactly one writer (${JSON.stringify(results.map((r) => r.status))})`);
    assert.match(String(failed[0].reason?.message), /cannot be overwritten because admin\/frozen is an immutable repository/);
    const head = await fetch(`${reg.base}/v2/admin/frozen/manifests/${tag}`, { method: 'HEAD', headers: { ...admin, accept: MEDIA.manifest } });
    assert.equal(head.headers.get('docker-content-digest'), ok[0] === 'promotion' ? promoted.digest : pushed.digest, `${tag} holds the winner's digest`);
    winners.push(ok[0]);
  }
  // Promoting the same digest again onto a tag it already holds is no write, not a refusal.
  const first = winners.indexOf('promotion');
  if (first >= 0) await reg.promoter.promote(policy('admin/frozen'), `race${first}`, promoted.digest);
});

test('a promotion into a repository with a tag limit prunes the oldest tag, with the event, like a push', { skip, timeout: 120_000 }, async () => {
  const admin = reg.auth('admin');
  const events: PublishedEvent[] = [];
  const off = reg.bus.subscribe((e) => void events.push(e));
  try {
    await pushImage(reg.base, 'admin/limited', 'one', pushed, admin);
    await pushImage(reg.base, 'admin/limited', 'two', pushed, admin);
    await reg.promoter.promote(policy('admin/limited'), 'three', promoted.digest);
    assert.deepEqual(reg.storage.listTags('admin/limited').map((t) => t.name).sort(), ['three', 'two']);
    assert.ok(events.some((e) => e.type === 'TAG_DELETE' && e.repository === 'admin/limited' && e.tag === 'one' && e.actor === 'admin'));
  } finally {
    off();
  }
});
