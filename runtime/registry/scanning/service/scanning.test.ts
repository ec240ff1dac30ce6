/**
 * Seed 000's scanning, end to end against a real Distribution: scanning off
 * by default, scan on push of the hub's alpine:3.3 (vulnerable) and
 * alpine:3.6 (clean), summaries, per-layer detail, CSV, who may start a
 * scan, SCAN_COMPLETED events and webhooks, and a database update (online
 * sync from a local feed server) that rescans what is there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { ensureImages } from '../../../images/ensure-images';
import { ensureHub } from '../../../hub/ensure-hub';
import { preloadHub } from '../../../hub/preload-hub';
import { baseTag } from '../../../images/image-set';
import { hostDebianMirror } from '../../../images/build-base';
import { copyImage } from '../../../images/fixtures/push-image';
import { BUNDLED_VULNDB } from '../../../images/registry-bundle';
import { startTestRegistry } from '../../control-plane/test-registry';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';

let reg: Awaited<ReturnType<typeof startTestRegistry>>;
let hubUrl = '';
let feeds: http.Server;
let feedUrl = '';
let feedBody = '';
const hooks: { type: string; contents: Record<string, unknown> }[] = [];
const json = async (res: Response) => (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const v = await probe();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}
const scanOf = (repo: string, tag: string, detailed = false) => until(`the scan of ${repo}:${tag}`, async () => {
  const r = await json(await reg.api('GET', `imagescan/repositories/${repo}/${tag}${detailed ? '?detailed=true' : ''}`));
  return r.vuln_summary?.last_scan_status === 'completed' || r.vuln_summary?.last_scan_status === 'failed' ? r : undefined;
});
const push = (from: string, repo: string, tag: string) =>
  copyImage({ registry: hubUrl, repository: 'library/alpine', reference: from }, { registry: reg.base, repository: repo, tag, headers: reg.auth('admin') });

before(async () => {
  if (skip) return;
  const tags = await ensureImages(docker, { names: ['hub'] });
  const hub = await ensureHub(docker, tags.hub);
  await preloadHub(docker, hub, { hubImage: tags.hub, baseImage: baseTag(hostDebianMirror()) });
  hubUrl = hub.url;
  reg = await startTestRegistry(docker);
  feeds = http.createServer((req, res) => {
    if (req.url === '/feed/main.yaml') return void res.writeHead(200, { 'content-type': 'application/yaml' }).end(feedBody);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', () => r()));
  feedUrl = `http://127.0.0.1:${(feeds.address() as { port: number }).port}`;
  assert.equal((await reg.api('POST', 'accounts', { type: 'user', name: 'moby', password: 'moby-password', globalRole: 'read-only' })).status, 201);
}, { timeout: 900_000 });

after(async () => {
  feeds?.close();
  await reg?.stop();
});

test('scanning is off by default; on, scan on push finds alpine:3.3 vulnerable and alpine:3.6 clean, per layer and as CSV', { skip, timeout: 120_000 }, async () => {
  const status = await json(await reg.api('GET', 'imagescan/status'));
  assert.deepEqual([status.enabled, status.mode, status.db.source, status.db.format], [false, 'offline', 'bundled', 'alpine-secdb']);
  assert.equal((await reg.api('POST', 'repositories/admin', { name: 'alpine', visibility: 'private', scanOnPush: true })).status, 201);
  await push('3.3', 'admin/alpine', 'off');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await json(await reg.api('GET', 'imagescan/repositories/admin/alpine/off'))).vuln_summary, null, 'not scanned while scanning is off');
  assert.equal((await reg.api('POST', 'imagescan/scan/admin/alpine/off')).status, 409);

  assert.equal((await json(await reg.api('POST', 'meta/settings', { scanningEnabled: true }))).scanningEnabled, true);
  await reg.api('POST', 'webhooks', { type: 'SCAN_COMPLETED', key: 'admin/alpine', endpoint: `${feedUrl}/hook` });
  await push('3.3', 'admin/alpine', '3.3');
  await push('3.6', 'admin/alpine', '3.6');
  const old = await scanOf('admin/alpine', '3.3', true);
  const fresh = await scanOf('admin/alpine', '3.6');
  const total = (s: Record<string, number>) => s.critical + s.major + s.minor + s.unknown;
  assert.ok(total(old.vuln_summary) >= 5, JSON.stringify(old.vuln_summary));
  assert.equal(total(fresh.vuln_summary), 0, JSON.stringify(fresh.vuln_summary));
  assert.match(old.distro, /Alpine/);
  const musl = old.layers.flatMap((l: { components: { name: string; vulnerabilities: { id: string; url: string }[] }[] }) => l.components).find((c: { name: string }) => c.name === 'musl');
  assert.ok(musl.vulnerabilities.some((v: { id: string; url: string }) => /^CVE-\d{4}-\d+$/.test(v.id) && v.url === `https://nvd.nist.gov/vuln/detail/${v.id}`));
  const csv = await reg.api('GET', 'imagescan/repositories/admin/alpine/3.3/export.csv');
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  const lines = (await csv.text()).trim().split('\n');
  assert.equal(lines[0], 'repository,tag,layer,layer_digest,component,version,source_package,vulnerability,severity,fixed_in,url');
  assert.ok(lines.some((l) => l.startsWith('admin/alpine,3.3,0,') && l.includes(',musl,') && /CVE-/.test(l)));
  // The tags API carries the same summary; the webhook heard both scans.
  const tags = (await json(await reg.api('GET', 'repositories/admin/alpine/tags'))).tags as { name: string; vuln_summary: { last_scan_status: string } | null }[];
  assert.equal(tags.find((t) => t.name === '3.6')!.vuln_summary!.last_scan_status, 'completed');
  await until('the webhooks', async () => (hooks.filter((h) => h.type === 'SCAN_COMPLETED').length >= 2 ? true : undefined));
});

test('read-only users see results but cannot start a scan; writers can', { skip, timeout: 60_000 }, async () => {
  assert.equal((await reg.api('GET', 'imagescan/repositories/admin/alpine/3.3', undefined, 'moby')).status, 200);
  const refused = await reg.api('POST', 'imagescan/scan/admin/alpine/3.3', undefined, 'moby');
  assert.equal(refused.status, 403);
  assert.match((await json(refused)).errors[0].message, /write access/);
  assert.equal((await reg.api('POST', 'imagescan/scan/admin/alpine/off')).status, 202);
  assert.equal((await scanOf('admin/alpine', 'off')).vuln_summary.last_scan_status, 'completed');
  assert.equal((await reg.api('POST', 'imagescan/scan/admin/alpine/nope')).status, 404);
  // DTR's own paths: scan with a platform, the scansummary shape.
  assert.equal((await reg.api('POST', 'imagescan/scan/admin/alpine/3.3/linux/amd64')).status, 202);
  const summary = await json(await reg.api('GET', 'imagescan/scansummary/repositories/admin/alpine/3.3'));
  assert.deepEqual([summary.namespace, summary.reponame, summary.tag, summary.last_scan_status], ['admin', 'alpine', '3.3', 'completed']);
  const musl = summary.layer_details[0].components.find((c: { component: string }) => c.component === 'musl');
  assert.match(musl.vulns[0].vuln.cve, /^CVE-/);
  assert.match(summary.layer_details[0].sha256sum, /^[0-9a-f]{64}$/);
});

test('an image the scanner cannot read fails with the reason: unknown OS, a corrupt layer on disk', { skip, timeout: 60_000 }, async () => {
  const { assembleImage } = await import('../../../images/fixtures/image-archive');
  const { writeTar } = await import('../../../images/fixtures/tar-writer');
  const { pushImage } = await import('../../../images/fixtures/push-image');
  const bare = assembleImage({ layers: [writeTar([{ type: 'file', path: 'hello', data: Buffer.from('no OS here\n') }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
  await pushImage(reg.base, 'admin/alpine', 'bare', bare, reg.auth('admin'));
  const bareScan = await scanOf('admin/alpine', 'bare');
  assert.equal(bareScan.vuln_summary.last_scan_status, 'failed');
  assert.match(bareScan.error, /unsupported OS/);
  // Corrupt the layer's bytes in storage behind Distribution's back: the digest check fails the scan, not the registry.
  const broken = assembleImage({ layers: [writeTar([{ type: 'file', path: 'etc/alpine-release', data: Buffer.from('3.6.2\n') }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
  await pushImage(reg.base, 'admin/alpine', 'broken', broken, reg.auth('admin'));
  await scanOf('admin/alpine', 'broken');
  const hex = broken.layers[0].digest.slice(7);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(reg.dir, 'registry/distribution/docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data'), Buffer.alloc(broken.layers[0].size, 7));
  assert.equal((await reg.api('POST', 'meta/settings', { scanningEnabled: true })).status, 200);
  // A new database version makes everything scan again, the corrupt image included.
  const documents = ['v3.6'].map((b) => readFileSync(path.join(BUNDLED_VULNDB, b, 'main.yaml'), 'utf8'));
  assert.equal((await reg.api('POST', 'imagescan/scanner/db', { format: 'alpine-secdb', documents: [...documents, '{"distroversion":"v3.3","reponame":"main","packages":[]}'] })).status, 200);
  const failed = await until('the failed rescan', async () => {
    const r = await json(await reg.api('GET', 'imagescan/repositories/admin/alpine/broken'));
    return r.vuln_summary?.last_scan_status === 'failed' ? r : undefined;
  });
  assert.match(failed.error, /does not match its digest|unexpected end|incorrect header|invalid/);
  assert.equal((await fetch(`${reg.base}/_ping`)).status, 200, 'the registry is fine');
});

test('a database update (online sync from a feed server) rescans what is there; a bad one changes nothing', { skip, timeout: 120_000 }, async () => {
  // The feed server publishes Alpine v3.6 with one more advisory: musl fixed only in a version above the image's.
  const v36 = readFileSync(path.join(BUNDLED_VULNDB, 'v3.6', 'main.yaml'), 'utf8');
  feedBody = v36.replace(/(\n {6}name: musl\n {6}secfixes:\n)/, '$1        99.0.0-r0:\n          - CVE-2099-0001\n');
  assert.notEqual(feedBody, v36, 'the fixture edit applied');
  const before = (await json(await reg.api('GET', 'imagescan/status'))).db.version;
  assert.equal((await reg.api('POST', 'meta/settings', { scanningMode: 'online', scanningSyncUrls: [`${feedUrl}/feed/main.yaml`], scanningSyncSchedule: '0 0 * * *' })).status, 200);
  const synced = await json(await reg.api('POST', 'imagescan/scanner/sync'));
  assert.ok(synced.state, JSON.stringify(synced));
  assert.notEqual(synced.state.version, before);
  assert.ok(synced.rescans >= 2);
  const rescanned = await until('the rescan of 3.6', async () => {
    const r = await json(await reg.api('GET', 'imagescan/repositories/admin/alpine/3.6?detailed=true'));
    return r.vuln_summary?.db_version === synced.state.version && r.vuln_summary.last_scan_status === 'completed' ? r : undefined;
  });
  // Every package built from musl (musl, musl-utils) now carries the one new advisory, and nothing else does.
  const hits = rescanned.layers.flatMap((l: { components: { source: string; vulnerabilities: { id: string }[] }[] }) => l.components).filter((c: { vulnerabilities: unknown[] }) => c.vulnerabilities.length);
  assert.ok(hits.length >= 1 && hits.every((c: { source: string; vulnerabilities: { id: string }[] }) => c.source === 'musl' && c.vulnerabilities.map((v) => v.id).join() === 'CVE-2099-0001'), JSON.stringify(hits));
  assert.equal(rescanned.vuln_summary.unknown, hits.length);
  const status = await json(await reg.api('GET', 'imagescan/status'));
  assert.deepEqual([status.mode, status.lastSync.ok, status.db.source], ['online', true, `${feedUrl}/feed/main.yaml`]);

  feedBody = 'not: [a secdb';
  const bad = await reg.api('POST', 'imagescan/scanner/sync');
  assert.equal(bad.status, 502);
  assert.equal((await json(await reg.api('GET', 'imagescan/status'))).db.version, synced.state.version, 'the old database stays');
  assert.equal((await reg.api('POST', 'imagescan/scanner/db', { format: 'osv', documents: ['{"id": 1}'] })).status, 400);
  assert.equal((await reg.api('POST', 'imagescan/scanner/db', { format: 'alpine-secdb', documents: [v36] }, 'moby')).status, 403);
  const uploaded = await json(await reg.api('POST', 'imagescan/scanner/db', { format: 'alpine-secdb', documents: [v36] }));
  assert.equal(uploaded.state.source, 'upload');
  const jobs = (await json(await reg.api('GET', 'jobs?action=update_vuln_db'))).jobs as { status: string }[];
  assert.deepEqual(jobs.slice(0, 4).map((j) => j.status), ['done', 'errored', 'errored', 'done'], 'upload, bad upload, bad sync, sync');
});

test('seed 000 promotion: "tag ends with stable and no vulnerabilities" promotes only 3.6-stable; policies chain', { skip, timeout: 180_000 }, async () => {
  // The whole Alpine database again (the previous test left a v3.6-only one).
  const documents = ['v3.3', 'v3.6'].map((b) => readFileSync(path.join(BUNDLED_VULNDB, b, 'main.yaml'), 'utf8'));
  assert.equal((await reg.api('POST', 'imagescan/scanner/db', { format: 'alpine-secdb', documents })).status, 200);
  for (const [name, scanOnPush] of [['alpine-dev', true], ['alpine-prod', true], ['alpine-archive', false]] as const) {
    assert.equal((await reg.api('POST', 'repositories/admin', { name, visibility: 'private', scanOnPush })).status, 201);
  }
  const stableAndClean = [{ field: 'tag', operator: 'ends with', values: ['stable'] }, { field: 'vulnerability_all', operator: 'equals', values: ['0'] }];
  assert.equal((await reg.api('POST', 'repositories/admin/alpine-dev/promotionPolicies', { rules: stableAndClean, targetRepository: 'admin/alpine-prod' }, 'moby')).status, 403);
  assert.equal((await reg.api('POST', 'repositories/admin/alpine-dev/promotionPolicies', { rules: stableAndClean, targetRepository: 'admin/nowhere' })).status, 404);
  assert.equal((await reg.api('POST', 'repositories/admin/alpine-dev/promotionPolicies', { rules: [{ field: 'tag', operator: 'sounds like', values: ['x'] }], targetRepository: 'admin/alpine-prod' })).status, 400);
  assert.equal((await reg.api('POST', 'repositories/admin/alpine-dev/promotionPolicies', { rules: stableAndClean, targetRepository: 'admin/alpine-prod', tagTemplate: '-%n' })).status, 400);
  const policy = await json(await reg.api('POST', 'repositories/admin/alpine-dev/promotionPolicies', { rules: stableAndClean, targetRepository: 'admin/alpine-prod' }));
  assert.deepEqual([policy.tagTemplate, policy.enabled, policy.warnings], ['%n', true, []]);
  // Chained: what reaches prod as *-stable is archived too (a tag rule only: it runs on the push itself).
  await reg.api('POST', 'repositories/admin/alpine-prod/promotionPolicies', { rules: [{ field: 'tag', operator: 'ends with', values: ['stable'] }], targetRepository: 'admin/alpine-archive', tagTemplate: 'archived-%n' });
  // And a policy that would send archived images back to dev: a loop, stopped where it closes.
  const back = await json(await reg.api('POST', 'repositories/admin/alpine-archive/promotionPolicies', { rules: [{ field: 'tag', operator: 'starts with', values: ['archived-'] }], targetRepository: 'admin/alpine-dev', tagTemplate: 'again-%n' }));

  await push('3.3', 'admin/alpine-dev', '3.3-stable');
  await push('3.6', 'admin/alpine-dev', '3.6-stable');
  const archived = await until('the chained promotion', async () => {
    const tags = ((await json(await reg.api('GET', 'repositories/admin/alpine-archive/tags'))).tags ?? []) as { name: string; digest: string }[];
    return tags.length ? tags : undefined;
  });
  await scanOf('admin/alpine-dev', '3.3-stable');
  await new Promise((r) => setTimeout(r, 1000)); // give a wrong promotion of 3.3-stable every chance to show up
  const prod = ((await json(await reg.api('GET', 'repositories/admin/alpine-prod/tags'))).tags as { name: string; digest: string }[]);
  assert.deepEqual(prod.map((t) => t.name), ['3.6-stable']);
  assert.deepEqual(archived.map((t) => t.name), ['archived-3.6-stable']);
  const devTag = ((await json(await reg.api('GET', 'repositories/admin/alpine-dev/tags'))).tags as { name: string; digest: string }[]).find((t) => t.name === '3.6-stable')!;
  assert.equal(prod[0].digest, devTag.digest, 'promoted byte for byte: the same digest');
  const promotions = (await json(await reg.api('GET', 'events?type=PROMOTION'))).events as { repository: string; tag: string; actor: string; details: { target: string } }[];
  assert.deepEqual(promotions.map((e) => [e.repository, e.tag, e.details.target, e.actor]).sort(), [
    ['admin/alpine-dev', '3.6-stable', 'admin/alpine-prod:3.6-stable', 'admin'],
    ['admin/alpine-prod', '3.6-stable', 'admin/alpine-archive:archived-3.6-stable', 'admin'],
  ]);
  assert.equal((await json(await reg.api('GET', `repositories/admin/alpine-dev/promotionPolicies/${policy.id}`))).lastResult.ok, true);
  const loop = await until('the loop to be stopped', async () => (await json(await reg.api('GET', `repositories/admin/alpine-archive/promotionPolicies/${back.id}`))).lastResult ?? undefined);
  assert.deepEqual([loop.ok, loop.error], [false, 'promotion loop stopped: admin/alpine-dev → admin/alpine-prod → admin/alpine-archive → admin/alpine-dev']);
  assert.ok(!((await json(await reg.api('GET', 'repositories/admin/alpine-dev/tags'))).tags as { name: string }[]).some((t) => t.name.startsWith('again-')));
  // The promoted image is scanned in prod too (scan on push there), reusing the dev scan.
  assert.equal((await scanOf('admin/alpine-prod', '3.6-stable')).vuln_summary.last_scan_status, 'completed');
});
