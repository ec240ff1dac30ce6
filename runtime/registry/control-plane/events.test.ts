/**
 * Registry events end to end: Distribution's real notifications reach the
 * control plane, become typed events with the user who caused them, feed the
 * activity log and webhooks (with retries); garbage collection is a job;
 * settings and logs through the meta API.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
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
let hookServer: http.Server;
let hookUrl = '';
const received: { path: string; body: { type: string; contents: Record<string, unknown> } }[] = [];
/** Paths that answer 500 this many more times before they accept. */
const failures = new Map<string, number>();
const image = assembleImage({ layers: [writeTar([{ type: 'file', path: 'e', data: Buffer.from('events\n') }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const v = await probe();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  if (skip) return;
  reg = await startTestRegistry(docker, { webhookRetryDelaysMs: [50, 50, 50] });
  assert.equal((await reg.api('POST', 'accounts', { type: 'user', name: 'moby', password: 'moby-password', globalRole: 'read-only' })).status, 201);
  hookServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const left = failures.get(req.url!) ?? 0;
      if (left > 0) {
        failures.set(req.url!, left - 1);
        return void res.writeHead(500).end();
      }
      received.push({ path: req.url!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}`;
}, { timeout: 600_000 });

after(async () => {
  hookServer?.close();
  await reg?.stop();
});

test('a push: Distribution notifies, the event names the pusher, a webhook receives it, the activity log keeps it', { skip }, async () => {
  const hook = await json(await reg.api('POST', 'webhooks', { type: 'TAG_PUSH', key: 'admin/hooked', endpoint: `${hookUrl}/push` }));
  assert.equal(hook.type, 'TAG_PUSH');
  await reg.api('POST', 'webhooks', { type: 'TAG_PUSH', key: 'admin/other', endpoint: `${hookUrl}/other` });
  await pushImage(reg.base, 'admin/hooked', '1', image, reg.auth('admin'));
  const got = await until('the webhook', () => received.find((r) => r.path === '/push'));
  assert.equal(got.body.type, 'TAG_PUSH');
  assert.deepEqual({ ...got.body.contents, id: undefined }, { ...got.body.contents, id: undefined, repository: 'admin/hooked', tag: '1', digest: image.digest, actor: 'admin' });
  assert.ok(!received.some((r) => r.path === '/other'), 'a hook for another repository stays quiet');
  // The tags API names the author from the same event, and describes the manifest from storage.
  const [tag] = (await json(await reg.api('GET', 'repositories/admin/hooked/tags'))).tags as { name: string; author: string; manifest: { digest: string; layers: number; size: number; os: string } }[];
  assert.deepEqual([tag.name, tag.author, tag.manifest.digest, tag.manifest.layers, tag.manifest.os], ['1', 'admin', image.digest, 1, 'linux']);
  assert.equal(tag.manifest.size, image.config.size + image.layers[0].size);

  // Pulls by three users in turn (a HEAD by digest in between, which Distribution reports without a tag): each pull names its user.
  const accept = { accept: 'application/vnd.docker.distribution.manifest.v2+json' };
  for (const [user, ref, method] of [['moby', '1', 'GET'], ['admin', image.digest, 'HEAD'], ['admin', '1', 'HEAD'], ['moby', '1', 'GET']]) {
    await fetch(`${reg.base}/v2/admin/hooked/manifests/${ref}`, { method, headers: { ...reg.auth(user), ...accept } }).then((r) => r.arrayBuffer());
  }
  const events = await until('the pulls in the activity log', async () => {
    const list = (await json(await reg.api('GET', 'repositories/admin/hooked/events'))).events as { type: string; actor: string }[];
    return list.filter((e) => e.type === 'TAG_PULL').length === 3 ? list : undefined;
  });
  assert.deepEqual(events.map((e) => [e.type, e.actor]), [['TAG_PULL', 'moby'], ['TAG_PULL', 'admin'], ['TAG_PULL', 'moby'], ['TAG_PUSH', 'admin']]);
  assert.equal((await reg.api('GET', 'repositories/admin/hooked/events?type=NOPE')).status, 400);
});

test('webhooks retry until the receiver accepts, and record their deliveries; who may create them', { skip }, async () => {
  failures.set('/flaky', 2);
  const hook = await json(await reg.api('POST', 'webhooks', { type: 'TAG_DELETE', key: 'admin', endpoint: `${hookUrl}/flaky` }));
  assert.equal((await reg.api('DELETE', 'repositories/admin/hooked/tags/1')).status, 204);
  const got = await until('the retried webhook', () => received.find((r) => r.path === '/flaky'));
  assert.deepEqual([got.body.contents.repository, got.body.contents.tag, got.body.contents.actor], ['admin/hooked', '1', 'admin']);
  const deliveries = await until('the delivery record', async () => {
    const d = (await json(await reg.api('GET', `webhooks/${hook.id}/deliveries`))).deliveries as { attempts: number; ok: boolean }[];
    return d.length ? d : undefined;
  });
  assert.deepEqual([deliveries[0].attempts, deliveries[0].ok], [3, true]);

  assert.equal((await reg.api('POST', 'webhooks', { type: 'TAG_PUSH', key: '', endpoint: `${hookUrl}/x` }, 'moby')).status, 403);
  assert.equal((await reg.api('POST', 'webhooks', { type: 'TAG_PUSH', key: 'admin/hooked', endpoint: `${hookUrl}/x` }, 'moby')).status, 403);
  assert.equal((await reg.api('POST', 'webhooks', { type: 'TAG_PUSH', key: 'moby/app', endpoint: 'ftp://x' }, 'moby')).status, 400);
  assert.equal((await reg.api('POST', 'webhooks', { type: 'TAG_EXPLODE', endpoint: `${hookUrl}/x` })).status, 400);
  assert.equal((await reg.api('GET', `webhooks/${hook.id}`, undefined, 'moby')).status, 404);
  assert.equal((await reg.api('PATCH', `webhooks/${hook.id}`, { inactive: true })).status, 200);
  assert.equal((await reg.api('DELETE', `webhooks/${hook.id}`)).status, 204);
});

test('garbage collection is a job; settings carry its schedule; the event is published', { skip }, async () => {
  assert.equal((await json(await reg.api('GET', 'meta/settings'))).gcSchedule, null);
  const changed = await json(await reg.api('POST', 'meta/settings', { gcSchedule: '0 0 0 * * *' }));
  assert.deepEqual([changed.gcSchedule, changed.scanningEnabled], ['0 0 0 * * *', false], 'one section changed, the others as they were');
  assert.equal((await reg.api('POST', 'meta/settings', { gcSchedule: 'every day' })).status, 400);
  assert.equal((await reg.api('POST', 'meta/settings', { colour: 'blue' })).status, 400);
  assert.equal((await reg.api('GET', 'meta/settings', undefined, 'moby')).status, 403);
  const run = await json(await reg.api('POST', 'gc/run'));
  assert.equal(run.status, 'completed');
  const jobs = (await json(await reg.api('GET', 'jobs?action=onlinegc'))).jobs as { id: string; status: string; result: { blobsDeleted: number } }[];
  assert.equal(jobs[0].status, 'done');
  assert.equal(jobs[0].result.blobsDeleted, run.blobsDeleted);
  assert.equal((await json(await reg.api('GET', `jobs/${jobs[0].id}`))).action, 'onlinegc');
  const events = (await json(await reg.api('GET', 'events?type=GC_COMPLETED'))).events as { actor: string }[];
  assert.equal(events[0].actor, 'admin');
});

test('logs per component; notifications without the token are refused', { skip }, async () => {
  assert.ok(((await json(await reg.api('GET', 'meta/logs'))).components as string[]).includes('control-plane'));
  const lines = (await json(await reg.api('GET', 'meta/logs/control-plane?limit=500'))).lines as string[];
  assert.ok(lines.some((l) => /deleted admin\/hooked:1/.test(l)), lines.join('\n'));
  assert.equal((await reg.api('GET', 'meta/logs/nope')).status, 404);
  assert.equal((await reg.api('GET', 'meta/logs/control-plane?limit=0')).status, 400);
  const forged = await fetch(`http://${reg.gateway}:${new URL((await reg.container.inspect()).Config.Env.find((e) => e.startsWith('LABDOCK_EVENTS_URL='))!.slice(19)).port}/events`, {
    method: 'POST', headers: { authorization: 'Bearer guess', 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: JSON.stringify({ events: [] }),
  });
  assert.equal(forged.status, 401);
});
