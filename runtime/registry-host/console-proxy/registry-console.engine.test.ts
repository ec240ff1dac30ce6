/**
 * The registry console proxy on a real engine: a registry lab session with
 * its real registry node; the console reaches the node from this process at
 * its address on the session's internal network, through the session CA, and
 * what it changes is what `curl` in the session's node then sees. Also
 * measures the console's round trip against `docker exec curl`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerEngineForTests, dockerProvisionerForTests, labSessionsForTests } from '../../sessions/docker-lab-fixture';
import path from 'node:path';
import type { Provisioner } from '../../provisioner/provisioner';
import { createSessionPki } from '../session-pki';
import { REGISTRY_NODE } from '../start-registry';
import { forwardRegistryRequest } from './forward-registry-request';
import { createRegistryConsole } from './registry-console';

const engine = await dockerEngineForTests();
const { docker, skip } = engine;

const LAB = `---
id: console
title: Console fixture
summary: One node and the bundled registry.
difficulty: beginner
duration: 5m
engine: docker
registry: true
nodes:
  - name: node1
---

<Step id="look" title="Look">

\`\`\`bash check node=node1
true
\`\`\`

\`\`\`bash solve node=node1
true
\`\`\`

</Step>
`;

let provisioner: Provisioner;
before(async () => {
  if (skip) return;
  provisioner = await dockerProvisionerForTests(engine, { instance: `consoletest-${process.pid}`, preload: false });
}, { timeout: 1_200_000 });

// Whatever a test left (a failure between create and its own cleanup): everything of this test's instance goes.
after(async () => {
  if (!provisioner) return;
  for (const id of await provisioner.listSessions()) await provisioner.destroySession(id);
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('registry console: as the admin and as another user, through the session CA, reflected in the registry API seen from a node', { skip, timeout: 300_000 }, async (t) => {
  const { sessions, store } = await labSessionsForTests(t, provisioner, { console: LAB });
  const { view } = await sessions.create('console', { wait: true });
  assert.equal(view.status, 'ready', view.error);
  const row = (await store.find(view.id))!;
  const registryConsole = createRegistryConsole({ provisioners: { docker: provisioner }, timeoutMs: 15_000 });
  const admin = `Basic ${Buffer.from(`${view.registry!.username}:${view.registry!.password}`).toString('base64')}`;
  const call = (method: string, p: string, body?: unknown, authorization = admin) =>
    registryConsole.forward(row, { method, path: p, search: '', authorization, ...(body ? { body: JSON.stringify(body) } : {}) });

  // The admin builds seed 001's organization through the console.
  assert.equal((await call('POST', '/api/v0/accounts', { type: 'user', name: 'moby', password: 'Lab-pass-2026', globalRole: 'none' })).status, 201);
  assert.equal((await call('POST', '/api/v0/accounts', { type: 'organization', name: 'engineering' })).status, 201);
  assert.equal((await call('POST', '/api/v0/accounts/engineering/teams', { name: 'core' })).status, 201);
  assert.deepEqual(await call('PUT', '/api/v0/accounts/engineering/teams/core/members/moby'), { status: 200, body: { org: 'engineering', name: 'core', members: ['moby'] } });
  assert.equal((await call('POST', '/api/v0/repositories/engineering', { name: 'barca', visibility: 'private' })).status, 201);
  assert.equal((await call('PATCH', '/api/v0/repositories/engineering/barca', { immutableTags: true })).status, 200);
  assert.equal((await call('PUT', '/api/v0/repositories/engineering/barca/teamAccess/core', { accessLevel: 'read-only' })).status, 200);
  // The registry's own errors come back unchanged: a duplicate and a bad name.
  const dup = await call('POST', '/api/v0/accounts', { type: 'organization', name: 'engineering' });
  assert.equal(dup.status, 409);
  assert.match(JSON.stringify(dup.body), /already exists/);
  assert.equal((await call('POST', '/api/v0/repositories/engineering', { name: 'Bad Name!' })).status, 400);

  // What the console changed is what the registry says to a node in the session.
  const seen = await sessions.exec(view.id, 'node1', `curl -fsS -u 'admin:${view.registry!.password}' https://dtr.labdock/api/v0/repositories/engineering/barca`);
  assert.equal(seen.exitCode, 0, seen.output);
  assert.deepEqual(
    (({ namespace, name, visibility, immutableTags, teamAccess }) => ({ namespace, name, visibility, immutableTags, teamAccess }))(JSON.parse(seen.output)),
    { namespace: 'engineering', name: 'barca', visibility: 'private', immutableTags: true, teamAccess: { core: 'read-only' } },
  );

  // Signed in as moby: he sees his team's repository, and not the accounts list (admins only).
  const moby = `Basic ${Buffer.from('moby:Lab-pass-2026').toString('base64')}`;
  const mine = await call('GET', '/api/v0/repositories', undefined, moby);
  assert.equal(mine.status, 200);
  assert.deepEqual((mine.body as { repositories: { name: string }[] }).repositories.map((r) => r.name), ['barca']);
  assert.equal((await call('POST', '/api/v0/accounts', { type: 'organization', name: 'mobys' }, moby)).status, 403);
  const listed = await call('GET', '/api/v0/accounts', undefined, moby);
  assert.ok(listed.status === 403 || (listed.body as { accounts: { globalRole?: string }[] }).accounts.every((a) => a.globalRole === undefined), 'roles are for admins');
  assert.equal((await call('PATCH', '/api/v0/repositories/engineering/barca', { immutableTags: false }, moby)).status, 403);
  assert.equal((await call('GET', '/api/v0/repositories', undefined, `Basic ${Buffer.from('moby:wrong-password').toString('base64')}`)).status, 401);
  assert.equal((await registryConsole.forward(row, { method: 'GET', path: '/api/v0/repositories', search: '' })).status, 401);
  assert.equal((await call('GET', '/v2/_catalog')).status, 200);
  // Pushes through the console are impossible whoever signs in.
  await assert.rejects(call('PUT', '/v2/engineering/barca/manifests/1', {}), (e: { status: number }) => e.status === 400);

  // The node's address with any CA but the session's is refused before a byte of credentials is sent.
  const { address } = await provisioner.nodeEndpoint!(view.id, REGISTRY_NODE);
  const other = await createSessionPki('dtr.labdock');
  await assert.rejects(forwardRegistryRequest({ address, caCert: other.caCert }, { method: 'GET', path: '/api/v0/repositories', authorization: admin }, { timeoutMs: 5_000 }),
    (e: { status: number; message: string }) => e.status === 502 && /CA/.test(e.message));

  // A reset recreates the registry node with a new CA: the console follows it, and the old CA no longer verifies it.
  const oldCa = (await provisioner.nodeEndpoint!(view.id, REGISTRY_NODE)).env.LABDOCK_TLS_CA;
  await sessions.reset(view.id);
  await sessions.settle();
  const afterReset = (await store.find(view.id))!;
  assert.equal(afterReset.status, 'ready', afterReset.error ?? '');
  const fresh = await provisioner.nodeEndpoint!(view.id, REGISTRY_NODE);
  assert.notEqual(fresh.env.LABDOCK_TLS_CA, oldCa);
  const resetAnswer = await registryConsole.forward(afterReset, { method: 'GET', path: '/api/v0/repositories', search: '', authorization: admin });
  assert.deepEqual(resetAnswer, { status: 200, body: { repositories: [] } }, 'a reset registry starts empty');
  await assert.rejects(forwardRegistryRequest({ address: fresh.address, caCert: oldCa }, { method: 'GET', path: '/api/v0/repositories', authorization: admin }, { timeoutMs: 5_000 }),
    (e: { status: number }) => e.status === 502);

  // Round trip: console (node lookup + TLS to the container's address) vs. docker exec curl in a node.
  const viaConsole: number[] = [];
  const viaExec: number[] = [];
  for (let i = 0; i < 10; i++) {
    let start = performance.now();
    assert.equal((await call('GET', '/api/v0/repositories')).status, 200);
    viaConsole.push(performance.now() - start);
    start = performance.now();
    await sessions.exec(view.id, 'node1', `curl -fsS -o /dev/null -u 'admin:${view.registry!.password}' https://dtr.labdock/api/v0/repositories`);
    viaExec.push(performance.now() - start);
  }
  t.diagnostic(`GET /api/v0/repositories median: console ${median(viaConsole).toFixed(1)} ms, docker exec curl ${median(viaExec).toFixed(1)} ms`);
  assert.ok(median(viaConsole) < median(viaExec), 'the direct path should beat an exec per request');
});
