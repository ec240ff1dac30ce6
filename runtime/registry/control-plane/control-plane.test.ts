/**
 * The control plane in front of a real Distribution (a container on this
 * engine): authentication, the role table applied to real pushes and pulls
 * (seed 001's users), the catalog filtered by access, health that follows
 * the storage, and failing closed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Docker from 'dockerode';
import { assembleImage } from '../../images/fixtures/image-archive';
import { writeTar } from '../../images/fixtures/tar-writer';
import { pushImage } from '../../images/fixtures/push-image';
import { loadOrCreateSigningKey } from '../auth/jwt';
import { createTokenService } from '../auth/token-service';
import { startTestRegistry } from './test-registry';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';

let reg: Awaited<ReturnType<typeof startTestRegistry>>;
let base = '';
let dir = '';
let storage: Awaited<ReturnType<typeof startTestRegistry>>['container'];
const auth = (user: string, password = `${user}-password`) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const image = assembleImage({ layers: [writeTar([{ type: 'file', path: 'hello', data: Buffer.from('hi\n') }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });

before(async () => {
  if (skip) return;
  reg = await startTestRegistry(docker);
  ({ base, dir, container: storage } = reg);
}, { timeout: 600_000 });

after(async () => {
  await reg?.stop();
});

test('authentication: anonymous and wrong passwords are challenged, the admin gets in', { skip }, async () => {
  const anon = await fetch(`${base}/v2/`);
  assert.equal(anon.status, 401);
  assert.equal(anon.headers.get('www-authenticate'), 'Bearer realm="https://dtr.labdock/auth/token",service="dtr.labdock"');
  assert.equal((await fetch(`${base}/api/v0/repositories`)).headers.get('www-authenticate'), 'Basic realm="labdock registry"');
  assert.equal((await fetch(`${base}/v2/`, { headers: auth('admin', 'nope') })).status, 401);
  assert.equal((await fetch(`${base}/v2/`, { headers: auth('nobody') })).status, 401);
  assert.equal((await fetch(`${base}/v2/`, { headers: auth('admin') })).status, 200);
});

const api = (method: string, p: string, body?: unknown, user = 'admin') => reg.api(method, p, body, user);

test('seed 001 Task 3 through the API: users with global roles, an organization, teams, team repositories', { skip }, async () => {
  for (const [name, globalRole] of [['gordon', 'admin'], ['orca', 'read-write'], ['moby', 'read-only'], ['ahab', 'none']]) {
    assert.equal((await api('POST', 'accounts', { type: 'user', name, password: `${name}-password`, globalRole })).status, 201, name);
  }
  assert.equal((await api('POST', 'accounts', { type: 'organization', name: 'engineering' })).status, 201);
  for (const [team, members] of [['core', ['gordon', 'orca']], ['frontend', ['gordon', 'moby', 'ahab']]] as const) {
    assert.equal((await api('POST', 'accounts/engineering/teams', { name: team })).status, 201);
    for (const m of members) assert.equal((await api('PUT', `accounts/engineering/teams/${team}/members/${m}`)).status, 200);
  }
  assert.equal((await api('POST', 'repositories/engineering', { name: 'barca', visibility: 'private' })).status, 201);
  assert.equal((await api('POST', 'repositories/engineering', { name: 'madrid', visibility: 'private' })).status, 201);
  assert.equal((await api('PUT', 'repositories/engineering/barca/teamAccess/core', { accessLevel: 'read-only' })).status, 200);
  assert.equal((await api('PUT', 'repositories/engineering/madrid/teamAccess/frontend', { accessLevel: 'read-write' })).status, 200);

  // Bad input is a clear 4xx, and nothing changes.
  const dup = await api('POST', 'accounts', { type: 'user', name: 'orca', password: 'whatever1' });
  assert.equal(dup.status, 409);
  const badName = await api('POST', 'repositories/engineering', { name: 'Barca' });
  assert.equal(badName.status, 400);
  assert.match(((await badName.json()) as { errors: { message: string }[] }).errors[0].message, /lowercase/);
  assert.equal((await api('POST', 'accounts', { type: 'user', name: 'x', password: 'short' })).status, 400);
  assert.equal((await api('POST', 'accounts', { type: 'user', name: 'eve', password: 'password1' }, 'ahab')).status, 403);
  assert.equal((await api('PUT', 'repositories/engineering/barca/teamAccess/core', { accessLevel: 'admin' }, 'orca')).status, 403);
});

test('seed 001 Task 4 with real pushes and pulls: orca pushes barca, moby pulls but cannot push, ahab pushes madrid but not barca', { skip }, async () => {
  await pushImage(base, 'engineering/barca', 'lona', image, auth('orca'));
  const pull = await fetch(`${base}/v2/engineering/barca/manifests/lona`, { headers: { ...auth('moby'), accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  assert.equal(pull.status, 200);
  await assert.rejects(pushImage(base, 'engineering/barca', 'latest', image, auth('moby')), /403/);
  await pushImage(base, 'engineering/madrid', 'latest', image, auth('ahab'));
  await assert.rejects(pushImage(base, 'engineering/barca', 'lona', image, auth('ahab')), /403/);
  const denied = await fetch(`${base}/v2/engineering/barca/manifests/lona`, { headers: auth('ahab') });
  assert.equal(denied.status, 403);
  assert.match(((await denied.json()) as { errors: { code: string; message: string }[] }).errors[0].message, /ahab may not pull engineering\/barca/);
  // ahab's repository list shows only his team's repositories (and his own).
  await pushImage(base, 'ahab/app', '1.0', image, auth('ahab'));
  const ahabRepos = (await (await api('GET', 'repositories', undefined, 'ahab')).json()) as { repositories: { namespace: string; name: string }[] };
  assert.deepEqual(ahabRepos.repositories.map((r) => `${r.namespace}/${r.name}`).sort(), ['ahab/app', 'engineering/madrid']);
  const catalog = (await (await fetch(`${base}/v2/_catalog`, { headers: auth('ahab') })).json()) as { repositories: string[] };
  assert.deepEqual(catalog.repositories.sort(), ['ahab/app', 'engineering/madrid']);
  const all = (await (await fetch(`${base}/v2/_catalog`, { headers: auth('moby') })).json()) as { repositories: string[] };
  assert.deepEqual(all.repositories.sort(), ['ahab/app', 'engineering/barca', 'engineering/madrid']);
});

test('health follows the storage: 200 while Distribution answers, 503 when it does not', { skip }, async () => {
  const ok = await fetch(`${base}/_ping`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'OK');
  assert.deepEqual(await (await fetch(`${base}/load_balancer_status`)).json(), { status: 'ok' });
  assert.match(await (await fetch(`${base}/nginx_status`)).text(), /^Active connections: \d+\nserver accepts handled requests\n \d+ \d+ \d+\n/);
  assert.equal((await fetch(`${base}/api/v0/meta/cluster_status`)).status, 401);
  assert.equal((await fetch(`${base}/api/v0/meta/cluster_status`, { headers: auth('moby') })).status, 403);
  const cluster = (await (await fetch(`${base}/api/v0/meta/cluster_status`, { headers: auth('admin') })).json()) as { healthy: boolean; replicas: { dtr: { storage: string } } };
  assert.equal(cluster.healthy, true);
  assert.equal(cluster.replicas.dtr.storage, 'ok');
  await storage.stop({ t: 0 });
  try {
    assert.equal((await fetch(`${base}/_ping`)).status, 503);
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { healthy: false, checks: { storage: 'unavailable' } });
    // A registry that cannot reach its storage refuses rather than guesses.
    const blocked = await fetch(`${base}/v2/admin/x/manifests/1`, { headers: auth('admin') });
    assert.equal(blocked.status, 503, await blocked.text());
  } finally {
    await storage.start();
    // Back up: later tests need the storage answering again.
    for (let i = 0; i < 100 && (await fetch(`${base}/_ping`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  }
});

test('paths that are not repositories are refused before Distribution sees them', { skip }, async () => {
  assert.equal((await fetch(`${base}/v2/Bad/Name/manifests/1`, { headers: auth('admin') })).status, 404);
  assert.equal((await fetch(`${base}/admin`, { headers: auth('admin') })).status, 404);
});

test('immutable repositories: a pushed tag cannot be pushed again, new tags can, concurrent pushes never overwrite', { skip }, async () => {
  const other = assembleImage({ layers: [writeTar([{ type: 'file', path: 'hello', data: Buffer.from('changed\n') }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
  await pushImage(base, 'admin/alpine', '3.6', image, auth('admin'));
  await pushImage(base, 'admin/alpine', '3.6', other, auth('admin')); // mutable: overwriting works
  assert.equal((await api('PATCH', 'repositories/admin/alpine', { immutableTags: true }, 'moby')).status, 403);
  const on = await api('PATCH', 'repositories/admin/alpine', { immutableTags: true });
  const settings = (await on.json()) as Record<string, unknown>;
  assert.deepEqual({ ...settings, createdAt: null }, { namespace: 'admin', namespaceType: 'user', name: 'alpine', shortDescription: '', longDescription: '', visibility: 'private', scanOnPush: false, immutableTags: true, tagLimit: 0, createdAt: null, teamAccess: {} });
  await assert.rejects(pushImage(base, 'admin/alpine', '3.6', image, auth('admin')), /tag=3\.6 cannot be overwritten because admin\/alpine is an immutable repository/);
  await pushImage(base, 'admin/alpine', '3.7', image, auth('admin'));
  // Twenty pushes of one new tag at once, each a different image: exactly one wins, the rest are refused — never an overwrite.
  const images = Array.from({ length: 20 }, (_, i) => assembleImage({ layers: [writeTar([{ type: 'file', path: 'hello', data: Buffer.from(`race ${i}\n`) }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' }));
  const results = await Promise.allSettled(images.map((img) => pushImage(base, 'admin/alpine', 'race', img, auth('admin'))));
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
  assert.equal(won.length, 1, `winners: ${won.join(',')}`);
  for (const r of results) if (r.status === 'rejected') assert.match(String(r.reason), /tag=race cannot be overwritten/);
  const head = await fetch(`${base}/v2/admin/alpine/manifests/race`, { method: 'HEAD', headers: { ...auth('admin'), accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  assert.equal(head.headers.get('docker-content-digest'), images[won[0]].digest, 'the tag holds the winner');
});

test('pushes must name an existing namespace, a valid repository and a valid tag', { skip }, async () => {
  await assert.rejects(pushImage(base, 'alpine', 'latest', image, auth('admin')), /must be <namespace>\/<repository>/);
  await assert.rejects(pushImage(base, 'nobody/app', '1', image, auth('admin')), /no user or organization named nobody/);
  await assert.rejects(pushImage(base, 'admin/app', '-bad', image, auth('admin')), /must not start with/);
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
async function token(query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/auth/token?service=dtr.labdock&${query}`, { headers });
  return { status: res.status, body: (await res.json()) as { token: string; refresh_token?: string; errors?: { message: string }[] } };
}
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { aud: string; sub: string; access: unknown[] };

test('token service: Basic → Bearer with only the allowed actions, refresh tokens, insufficient scope, forged and expired tokens', { skip }, async () => {
  const admin = await token('scope=repository:admin/tok:pull,push&offline_token=true', auth('admin'));
  assert.equal(admin.status, 200);
  assert.deepEqual(claims(admin.body.token), { ...claims(admin.body.token), aud: 'dtr.labdock', sub: 'admin', access: [{ type: 'repository', name: 'admin/tok', actions: ['pull', 'push'] }] });
  assert.match(JSON.parse(Buffer.from(admin.body.token.split('.')[0], 'base64url').toString()).kid, /^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
  await pushImage(base, 'admin/tok', '1', image, bearer(admin.body.token));
  // The API takes the same token (DTR's API accepted Basic or Bearer).
  assert.equal((await fetch(`${base}/api/v0/repositories/admin/tok`, { headers: bearer(admin.body.token) })).status, 200);

  // moby (read-only) asks for push and gets pull only; his push is refused by the roles, as with Basic.
  const moby = await token('scope=repository:admin/tok:pull,push', auth('moby'));
  assert.deepEqual(claims(moby.body.token).access, [{ type: 'repository', name: 'admin/tok', actions: ['pull'] }]);
  assert.equal((await fetch(`${base}/v2/admin/tok/manifests/1`, { method: 'HEAD', headers: bearer(moby.body.token) })).status, 200);
  await assert.rejects(pushImage(base, 'admin/tok', '2', image, bearer(moby.body.token)), /403/);

  // orca may push, but a pull-only token is not enough: the challenge names the scope to ask for.
  const orcaPull = await token('scope=repository:admin/tok:pull', auth('orca'));
  const short = await fetch(`${base}/v2/admin/tok/blobs/uploads/`, { method: 'POST', headers: bearer(orcaPull.body.token) });
  assert.equal(short.status, 401);
  assert.equal(short.headers.get('www-authenticate'), 'Bearer realm="https://dtr.labdock/auth/token",service="dtr.labdock",scope="repository:admin/tok:pull,push",error="insufficient_scope"');
  // A token for one repository says nothing about another.
  assert.equal((await fetch(`${base}/v2/engineering/barca/tags/list`, { headers: bearer(orcaPull.body.token) })).status, 401);

  // The refresh token (docker login's identity token) buys new access tokens; wrong grants are refused.
  const form = (fields: Record<string, string>) => fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  const refreshed = await form({ grant_type: 'refresh_token', refresh_token: admin.body.refresh_token!, client_id: 'docker', service: 'dtr.labdock', scope: 'repository:admin/tok:pull' });
  assert.equal(refreshed.status, 200);
  const r = (await refreshed.json()) as { access_token: string; scope: string };
  assert.equal(r.scope, 'repository:admin/tok:pull');
  assert.equal((await fetch(`${base}/v2/admin/tok/tags/list`, { headers: bearer(r.access_token) })).status, 200);
  assert.equal((await form({ grant_type: 'password', username: 'admin', password: 'wrong', client_id: 'docker' })).status, 401);
  assert.equal((await form({ grant_type: 'refresh_token', refresh_token: admin.body.token, client_id: 'docker' })).status, 401, 'an access token is not a refresh token');
  assert.equal((await form({ grant_type: 'password', username: 'admin', password: 'admin-password' })).status, 400, 'client_id is required');
  assert.equal((await token('scope=nonsense', auth('admin'))).status, 400);
  assert.equal((await token('scope=repository:admin/tok:pull', auth('admin', 'wrong'))).status, 401);

  // Forged, expired and other-key tokens are refused.
  const [h, p] = admin.body.token.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims(admin.body.token), sub: 'gordon' })).toString('base64url')}.${admin.body.token.split('.')[2]}`;
  assert.equal((await fetch(`${base}/v2/admin/tok/tags/list`, { headers: bearer(forged) })).status, 401);
  assert.equal((await fetch(`${base}/v2/admin/tok/tags/list`, { headers: bearer(`${h}.${p}.AAAA`) })).status, 401);
  const past = createTokenService({ key: loadOrCreateSigningKey(path.join(dir, 'token-key.pem')), service: 'dtr.labdock', now: () => Date.now() - 3600_000 });
  const expired = (await past.issueAccess('admin', [{ type: 'repository', name: 'admin/tok', actions: ['pull'] }])).token;
  assert.equal((await fetch(`${base}/v2/admin/tok/tags/list`, { headers: bearer(expired) })).status, 401);
  const otherKey = createTokenService({ key: loadOrCreateSigningKey(path.join(dir, 'other-key.pem')), service: 'dtr.labdock' });
  assert.equal((await fetch(`${base}/v2/admin/tok/tags/list`, { headers: bearer((await otherKey.issueAccess('admin', [{ type: 'repository', name: 'admin/tok', actions: ['pull'] }])).token) })).status, 401);
});

test('token service: anonymous tokens pull public repositories only; Notary GUNs carry the host', { skip }, async () => {
  assert.equal((await api('PATCH', 'repositories/admin/tok', { visibility: 'public' })).status, 200);
  await pushImage(base, 'admin/secret', '1', image, auth('admin'));
  const anon = await token('scope=repository:admin/tok:pull&scope=repository:admin/secret:pull');
  assert.deepEqual(claims(anon.body.token).access, [{ type: 'repository', name: 'admin/tok', actions: ['pull'] }]);
  assert.equal((await fetch(`${base}/v2/admin/tok/manifests/1`, { method: 'HEAD', headers: bearer(anon.body.token) })).status, 200);
  assert.equal((await fetch(`${base}/v2/admin/secret/manifests/1`, { method: 'HEAD', headers: bearer(anon.body.token) })).status, 401);
  assert.equal((await fetch(`${base}/v2/`, { headers: bearer(anon.body.token) })).status, 200);
  const gun = await token('scope=repository:dtr.labdock/admin/secret:pull,push,*', auth('orca'));
  assert.deepEqual(claims(gun.body.token).access, [{ type: 'repository', name: 'dtr.labdock/admin/secret', actions: ['pull', 'push'] }], 'read-write: no * (key rotation needs admin)');
  const adminGun = await token('scope=repository:dtr.labdock/admin/secret:pull,push,*', auth('admin'));
  assert.deepEqual(claims(adminGun.body.token).access, [{ type: 'repository', name: 'dtr.labdock/admin/secret', actions: ['pull', 'push', '*'] }]);
});
