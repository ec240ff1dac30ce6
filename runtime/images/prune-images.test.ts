/**
 * Pruning on a real engine: an old labdock image nothing uses goes; the tags
 * in use, images a container uses, young images and images labdock did not
 * build stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { writeTar } from './fixtures/tar-writer';
import { pruneImages } from './prune-images';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';

/** A one-file image, labelled like labdock's or not, built from scratch. */
async function image(tag: string, labelled: boolean): Promise<void> {
  const content = randomBytes(8).toString('hex');
  const dockerfile = `FROM scratch\nCOPY f /f\n${labelled ? 'LABEL labdock.image=test\n' : ''}LABEL test.nonce=${content}\n`;
  const context = writeTar([{ type: 'file', path: 'Dockerfile', data: Buffer.from(dockerfile) }, { type: 'file', path: 'f', data: Buffer.from(content) }]);
  const stream = await docker.buildImage(Buffer.from(context) as unknown as NodeJS.ReadableStream, { t: tag });
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(null))));
}

test('old unused labdock images go; kept tags, used images, young images and foreign images stay', { skip, timeout: 120_000 }, async (t) => {
  const suffix = `${process.pid}`;
  const prefix = `labdock-prune-test-${suffix}/`;
  const [old, kept, used, foreign] = ['old', 'kept', 'used', 'foreign'].map((n) => `${prefix}${n}:latest`);
  await image(old, true);
  await image(kept, true);
  await image(used, true);
  await image(foreign, false);
  const container = await docker.createContainer({ Image: used, Cmd: ['/f'], Labels: { 'labdock.managed': 'true' } });
  t.after(async () => {
    await container.remove({ force: true }).catch(() => undefined);
    for (const tag of [old, kept, used, foreign]) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
  });
  // Nothing is old enough yet.
  // The prefix keeps this test to its own images: the engine's real labdock images are not touched.
  assert.deepEqual(await pruneImages(docker, [kept], { minAgeMs: 3600_000, prefix }), []);
  // An hour later (as far as the age rule can tell), only the unused one goes.
  const removed = await pruneImages(docker, [kept], { minAgeMs: 3600_000, prefix, now: () => Date.now() + 2 * 3600_000 });
  assert.deepEqual(removed, [old]);
  for (const tag of [kept, used, foreign]) assert.ok(await docker.getImage(tag).inspect().then(() => true, () => false), `${tag} stays`);
});
