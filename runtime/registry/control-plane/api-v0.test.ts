/**
 * The DTR-compatible /api/v0 surface against a real registry: accounts by
 * name, teams and members, repository settings, team access per repository
 * and per namespace (and what it lets a member really push), and bad input
 * answered with a 4xx and a message, never a 5xx.
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
const image = assembleImage({ layers: [writeTar([{ type: 'file', path: 'x', data: Buffer.from('x\n') }])], cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z' });
const body = async (res: Response) => (await res.json()) as Record<string, unknown> & { errors?: { code: string; message: string }[] };

before(async () => {
  if (skip) return;
  reg = await startTestRegistry(docker);
}, { timeout: 600_000 });

after(async () => {
  await reg?.stop();
});

test('accounts by name: read, change role and password, delete; roles only for admins; no self-demotion', { skip }, async () => {
  assert.equal((await reg.api('POST', 'accounts', { type: 'user', name: 'orca', password: 'orca-password', globalRole: 'read-write', fullName: 'Orca' })).status, 201);
  assert.equal((await reg.api('POST', 'accounts', { type: 'user', name: 'moby', password: 'moby-password' })).status, 201);
  assert.deepEqual(await body(await reg.api('GET', 'accounts/orca')), { type: 'user', name: 'orca', fullName: 'Orca', globalRole: 'read-write', isAdmin: false });
  assert.deepEqual(await body(await reg.api('GET', 'accounts/orca', undefined, 'moby')), { type: 'user', name: 'orca', fullName: 'Orca' }, 'others see no role');
  assert.equal((await reg.api('PATCH', 'accounts/moby', { globalRole: 'admin' }, 'moby')).status, 403);
  assert.equal((await reg.api('PATCH', 'accounts/moby', { password: 'moby-new-password' }, 'moby')).status, 200, 'a user may change their own password');
  assert.equal((await fetch(`${reg.base}/v2/`, { headers: reg.auth('moby', 'moby-new-password') })).status, 200);
  assert.equal((await fetch(`${reg.base}/v2/`, { headers: reg.auth('moby') })).status, 401, 'the old password is gone at once');
  assert.equal((await reg.api('PATCH', 'accounts/moby', { password: 'moby-password' })).status, 200, 'admins set passwords');
  assert.equal((await body(await reg.api('PATCH', 'accounts/moby', { globalRole: 'read-only' }))).globalRole, 'read-only');
  assert.equal((await reg.api('PATCH', 'accounts/admin', { globalRole: 'none' })).status, 409);
  assert.equal((await reg.api('DELETE', 'accounts/admin')).status, 409);
  assert.equal((await reg.api('DELETE', 'accounts/orca', undefined, 'moby')).status, 403);
  assert.equal((await reg.api('DELETE', 'accounts/orca')).status, 204);
  assert.equal((await reg.api('GET', 'accounts/orca')).status, 404);
  const names = ((await body(await reg.api('GET', 'accounts', undefined, 'moby'))).accounts as { name: string; globalRole?: string }[]);
  assert.deepEqual(names.map((a) => [a.name, a.globalRole]), [['admin', undefined], ['moby', undefined]]);
});

test('teams and members: list, read, remove; only owners manage; members may look', { skip }, async () => {
  assert.equal((await reg.api('POST', 'accounts', { type: 'user', name: 'ahab', password: 'ahab-password' })).status, 201);
  assert.equal((await reg.api('POST', 'accounts', { type: 'organization', name: 'engineering' })).status, 201);
  assert.equal((await reg.api('POST', 'accounts/engineering/teams', { name: 'core' })).status, 201);
  assert.equal((await reg.api('PUT', 'accounts/engineering/teams/core/members/ahab')).status, 200);
  assert.equal((await reg.api('PUT', 'accounts/engineering/teams/core/members/moby')).status, 200);
  assert.equal((await reg.api('PUT', 'accounts/engineering/teams/core/members/nobody')).status, 404);
  assert.deepEqual(await body(await reg.api('GET', 'accounts/engineering/teams/core/members', undefined, 'ahab')), { members: [{ name: 'ahab' }, { name: 'moby' }] });
  assert.equal((await reg.api('GET', 'accounts/engineering/teams/core/members/moby')).status, 200);
  assert.equal((await reg.api('DELETE', 'accounts/engineering/teams/core/members/moby', undefined, 'ahab')).status, 403);
  assert.equal((await reg.api('DELETE', 'accounts/engineering/teams/core/members/moby')).status, 204);
  assert.equal((await reg.api('GET', 'accounts/engineering/teams/core/members/moby')).status, 404);
  assert.equal((await reg.api('GET', 'accounts/engineering/teams', undefined, 'moby')).status, 403, 'not a member any more');
  assert.deepEqual(await body(await reg.api('GET', 'accounts/engineering/teams/core')), { org: 'engineering', name: 'core', members: ['ahab'] });
});

test('repositories: settings on create, per namespace, team access per repository and per namespace — and what a member can then push', { skip }, async () => {
  const created = await body(await reg.api('POST', 'repositories/engineering', { name: 'barca', visibility: 'private', shortDescription: 'FC', scanOnPush: true, tagLimit: 5 }));
  assert.deepEqual([created.shortDescription, created.scanOnPush, created.tagLimit, created.namespaceType], ['FC', true, 5, 'organization']);
  await assert.rejects(pushImage(reg.base, 'engineering/barca', '1', image, reg.auth('ahab')), /403/);
  assert.equal((await body(await reg.api('PUT', 'repositories/engineering/barca/teamAccess/core', { accessLevel: 'read-write' }))).accessLevel, 'read-write');
  await pushImage(reg.base, 'engineering/barca', '1', image, reg.auth('ahab'));
  const list = await body(await reg.api('GET', 'repositories/engineering/barca/teamAccess'));
  assert.deepEqual(list.teamAccessList, [{ accessLevel: 'read-write', team: { orgName: 'engineering', name: 'core' } }]);
  assert.equal((await reg.api('DELETE', 'repositories/engineering/barca/teamAccess/core')).status, 204);
  assert.equal((await reg.api('GET', 'repositories/engineering/barca/teamAccess/core')).status, 404);
  await assert.rejects(pushImage(reg.base, 'engineering/barca', '2', image, reg.auth('ahab')), /403/, 'access removed at once');

  // Namespace-wide access: every repository of the organization, new ones included.
  assert.equal((await reg.api('PUT', 'repositoryNamespaces/engineering/teamAccess/core', { accessLevel: 'read-write' }, 'ahab')).status, 403);
  assert.equal((await reg.api('PUT', 'repositoryNamespaces/engineering/teamAccess/core', { accessLevel: 'read-write' })).status, 200);
  await pushImage(reg.base, 'engineering/madrid', '1', image, reg.auth('ahab'));
  await pushImage(reg.base, 'engineering/barca', '2', image, reg.auth('ahab'));
  assert.deepEqual((await body(await reg.api('GET', 'repositoryNamespaces/engineering/teamAccess'))).teamAccessList, [{ accessLevel: 'read-write', team: { orgName: 'engineering', name: 'core' } }]);
  const visible = (await body(await reg.api('GET', 'repositories/engineering', undefined, 'ahab'))).repositories as { name: string }[];
  assert.deepEqual(visible.map((r) => r.name).sort(), ['barca', 'madrid']);
  assert.equal((await reg.api('DELETE', 'repositoryNamespaces/engineering/teamAccess/core')).status, 204);
  assert.deepEqual((await body(await reg.api('GET', 'repositories/engineering', undefined, 'ahab'))).repositories, []);
  // Deleting a team takes its access with it.
  assert.equal((await reg.api('DELETE', 'accounts/engineering/teams/core')).status, 204);
  assert.equal((await reg.api('GET', 'accounts/engineering/teams/core')).status, 404);
});

test('bad input: malformed JSON, huge bodies, unknown fields, invalid names and roles get a 4xx with a message', { skip }, async () => {
  const raw = (method: string, p: string, data: string) => fetch(`${reg.base}/api/v0/${p}`, { method, headers: { ...reg.auth('admin'), 'content-type': 'application/json' }, body: data });
  const cases: [Promise<Response>, number, RegExp][] = [
    [raw('POST', 'accounts', '{"type": "user",'), 400, /not valid JSON/],
    [raw('POST', 'accounts', JSON.stringify({ type: 'user', name: 'x'.repeat(10), password: 'p'.repeat(2 * 1024 * 1024) })), 413, /larger than 1 MiB/],
    [reg.api('POST', 'accounts', { type: 'robot', name: 'r2d2' }), 400, /type/],
    [reg.api('POST', 'accounts', { type: 'user', name: 'Bad Name', password: 'password1' }), 400, /account name/],
    [reg.api('POST', 'accounts', { type: 'user', name: 'eve', password: 'password1', globalRole: 'root' }), 400, /globalRole/],
    [reg.api('POST', 'repositories/admin', { name: 'a' }), 400, /2 to 255/],
    [reg.api('POST', 'repositories/admin', { name: 'ok-name', color: 'red' }), 400, /color|unrecognized/i],
    [reg.api('PATCH', 'repositories/engineering/barca', { tagLimit: 'many' }), 400, /tagLimit/],
    [reg.api('PUT', 'repositories/engineering/barca/teamAccess/nosuch', { accessLevel: 'read-only' }), 404, /no team/],
    [reg.api('GET', 'repositories/engineering/nosuch'), 404, /no repository/],
    [reg.api('GET', 'nonsense'), 404, /no API endpoint GET/],
  ];
  for (const [pending, status, message] of cases) {
    const res = await pending;
    const b = await body(res);
    assert.equal(res.status, status, JSON.stringify(b));
    assert.match(b.errors![0].message, message);
  }
  assert.equal((await reg.api('GET', 'accounts/moby')).status, 200, 'and the registry is fine afterwards');
});
