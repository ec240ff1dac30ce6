/**
 * A lab session with the bundled registry, on a real engine: the registry
 * node serves TLS with the session's own CA, nodes trust it, the session's
 * admin can log in, push and pull; wrong or missing credentials are refused.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerEngineForTests, dockerProvisionerForTests, labSessionsForTests } from '../sessions/docker-lab-fixture';
import path from 'node:path';

import type { Provisioner } from '../provisioner/provisioner';
import { createRegistryConsole } from './console-proxy/registry-console';
import { platformRegistryReader } from './console-proxy/platform-reader';

const engine = await dockerEngineForTests();
const { docker, skip } = engine;

const LAB = `---
id: reg
title: Registry fixture
summary: Two nodes and the bundled registry.
difficulty: beginner
duration: 5m
engine: docker
registry: true
nodes:
  - name: node1
  - name: node2
---

<Step id="push" title="Push">

\`\`\`bash check node=node2
docker pull -q dtr.labdock/admin/alpine:3.6 >/dev/null 2>&1 || { echo "dtr.labdock/admin/alpine:3.6 cannot be pulled yet"; exit 1; }
\`\`\`

\`\`\`bash solve node=node1
echo "$REGISTRY_PASSWORD" | docker login {{registry.hostname}} -u {{registry.username}} --password-stdin >/dev/null
docker pull -q alpine:3.6 >/dev/null && docker tag alpine:3.6 dtr.labdock/admin/alpine:3.6 && docker push -q dtr.labdock/admin/alpine:3.6 >/dev/null
\`\`\`

</Step>
`;

let provisioner: Provisioner;
before(async () => {
  if (skip) return;
  provisioner = await dockerProvisionerForTests(engine, { instance: `regtest-${process.pid}` });
}, { timeout: 1_200_000 });

/** A session of `lab` (labs: id → lab.mdx, or a labs folder), on the docker provisioner, removed after the test whatever happens. */
async function startSession(t: import('node:test').TestContext, labs: Record<string, string> | string, lab: string) {
  const registryConsole = createRegistryConsole({ provisioners: { docker: provisioner }, timeoutMs: 20_000 });
  const fixture = await labSessionsForTests(t, provisioner, labs, { registryReader: (row) => platformRegistryReader(registryConsole, row) });
  const { view } = await fixture.sessions.create(lab, { wait: true });
  return { ...fixture, view };
}

test('registry session: TLS with the session CA, admin login, push on one node and pull on another', { skip, timeout: 300_000 }, async (t) => {
  const { sessions, view } = await startSession(t, { reg: LAB }, 'reg');
  assert.equal(view.status, 'ready', view.error);
  assert.deepEqual(view.progress.map((p) => p.stage), ['network', 'registry', 'node node1', 'node node2']);
  assert.equal(view.registry?.hostname, 'dtr.labdock');
  assert.equal(view.registry?.username, 'admin');
  assert.ok((view.registry?.password.length ?? 0) >= 24);
  assert.deepEqual(view.nodes.map((n) => n.name), ['node1', 'node2'], 'the registry is not a learner terminal');

  // TLS verifies against the session CA with no -k; without credentials the registry asks for them.
  const anon = await sessions.exec(view.id, 'node1', 'curl -sS -o /dev/null -w "%{http_code}" https://dtr.labdock/v2/');
  assert.equal(anon.output, '401');
  const wrong = await sessions.exec(view.id, 'node1', 'echo wrong | docker login dtr.labdock -u admin --password-stdin 2>&1');
  assert.notEqual(wrong.exitCode, 0);
  assert.match(wrong.output, /unauthorized|incorrect username or password/i);

  assert.equal((await sessions.check(view.id, 'push')).passed, false);
  const solved = await sessions.solve(view.id, 'push');
  assert.equal(solved.passed, true, solved.message);
  // node2 is not logged in: the pull is refused until it logs in.
  assert.equal((await sessions.check(view.id, 'push')).passed, false);
  const login = await sessions.exec(view.id, 'node2', `echo '${view.registry!.password}' | docker login dtr.labdock -u admin --password-stdin >/dev/null 2>&1 && docker pull -q dtr.labdock/admin/alpine:3.6 >/dev/null && docker run --rm dtr.labdock/admin/alpine:3.6 cat /etc/alpine-release`);
  assert.equal(login.output, '3.6.2\n', login.output);
  assert.equal((await sessions.check(view.id, 'push')).passed, true);

  // Seed 000: once the repository is immutable, re-pushing a tag fails with DTR's message; new tags still push.
  const pw = view.registry!.password;
  const patch = await sessions.exec(view.id, 'node1', `curl -sS -u 'admin:${pw}' -X PATCH -H 'content-type: application/json' -d '{"immutableTags":true}' https://dtr.labdock/api/v0/repositories/admin/alpine`);
  assert.match(patch.output, /"immutableTags":true/);
  const again = await sessions.exec(view.id, 'node1', 'docker push dtr.labdock/admin/alpine:3.6 2>&1');
  assert.notEqual(again.exitCode, 0);
  assert.match(again.output, /unknown: tag=3\.6 cannot be overwritten because admin\/alpine is an immutable repository/);
  const fresh = await sessions.exec(view.id, 'node1', 'docker tag alpine:3.6 dtr.labdock/admin/alpine:3.6-b && docker push -q dtr.labdock/admin/alpine:3.6-b');
  assert.equal(fresh.exitCode, 0, fresh.output);
});

test('registry session: docker login keeps a refresh token, skopeo and curl follow the token flow, GC runs in the node, state survives a restart', { skip, timeout: 300_000 }, async (t) => {
  const { sessions, view, db, box } = await startSession(t, { reg: LAB }, 'reg');
  assert.equal(view.status, 'ready', view.error);
  const pw = view.registry!.password;
  const sh = async (node: string, command: string) => {
    const r = await sessions.exec(view.id, node, command);
    return { ...r, output: r.output.trim() };
  };
  assert.equal((await sessions.solve(view.id, 'push')).passed, true);

  // docker login got a refresh token from the token service and keeps it instead of the password.
  const config = await sh('node1', 'cat ~/.docker/config.json');
  const auths = (JSON.parse(config.output) as { auths: Record<string, { identitytoken?: string; auth?: string }> }).auths['dtr.labdock'];
  assert.ok(auths.identitytoken && auths.identitytoken.split('.').length === 3, config.output);

  // skopeo: Basic → Bearer with its own scopes, a copy between repositories (a cross-repository mount), wrong passwords refused.
  const copy = await sh('node2', `skopeo copy -q --src-creds 'admin:${pw}' --dest-creds 'admin:${pw}' docker://dtr.labdock/admin/alpine:3.6 docker://dtr.labdock/admin/copy:1 2>&1 && skopeo inspect --creds 'admin:${pw}' docker://dtr.labdock/admin/copy:1 | jq -r .Digest`);
  assert.match(copy.output, /^sha256:[0-9a-f]{64}$/, copy.output);
  const wrong = await sh('node2', 'skopeo inspect --creds admin:wrong docker://dtr.labdock/admin/copy:1 2>&1');
  assert.notEqual(wrong.exitCode, 0);
  assert.match(wrong.output, /unauthorized|incorrect username or password/i);

  // curl through the token flow by hand, as a lab can show it.
  const tags = await sh('node2', `token=$(curl -sf -u 'admin:${pw}' 'https://dtr.labdock/auth/token?service=dtr.labdock&scope=repository:admin/copy:pull' | jq -r .token) && curl -sf -H "Authorization: Bearer $token" https://dtr.labdock/v2/admin/copy/tags/list | jq -c .tags`);
  assert.equal(tags.output, '["1"]');

  // Soft delete, then Distribution's collector in the node frees the blobs; logs per component.
  const api = (method: string, p: string, body = '') => sh('node1', `curl -sS -u 'admin:${pw}' -X ${method} ${body ? `-H 'content-type: application/json' -d '${body}'` : ''} https://dtr.labdock/api/v0/${p}`);
  const old = await sh('node1', 'docker pull -q alpine:3.3 >/dev/null && docker tag alpine:3.3 dtr.labdock/admin/alpine:old && docker push -q dtr.labdock/admin/alpine:old');
  assert.equal(old.exitCode, 0, old.output);
  assert.equal((await api('DELETE', 'repositories/admin/alpine/tags/old')).exitCode, 0);
  const gc = JSON.parse((await api('POST', 'gc/run')).output) as { status: string; blobsDeleted: number; error?: string };
  assert.equal(gc.status, 'completed', gc.error);
  assert.ok(gc.blobsDeleted >= 3, `blobs deleted: ${gc.blobsDeleted}`);
  const logs = JSON.parse((await api('GET', 'meta/logs/distribution?limit=50')).output) as { lines: string[] };
  assert.ok(logs.lines.length > 0);
  assert.match((await api('GET', 'repositories/admin/alpine/events?type=TAG_PUSH')).output, /"actor":"admin"/);

  // Restart the registry node: accounts, settings and the token key persist; node1 pulls with its stored refresh token.
  await api('POST', 'accounts', JSON.stringify({ type: 'user', name: 'moby', password: 'moby-password', globalRole: 'read-only' }));
  await api('PATCH', 'repositories/admin/alpine', JSON.stringify({ tagLimit: 7 }));
  await docker.getContainer(`labdock-${view.id}-dtr`).restart({ t: 5 });
  const ready = await sh('node1', 'for i in $(seq 100); do curl -fsS https://dtr.labdock/_ping >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1');
  assert.equal(ready.exitCode, 0, 'the registry answers again');
  assert.match((await api('GET', 'repositories/admin/alpine')).output, /"tagLimit":7/);
  assert.match((await api('GET', 'accounts/moby')).output, /"globalRole":"read-only"/);
  const pull = await sh('node1', 'docker rmi -f dtr.labdock/admin/alpine:3.6 >/dev/null && docker pull -q dtr.labdock/admin/alpine:3.6');
  assert.equal(pull.exitCode, 0, pull.output);

  // The server's own account: hidden from the accounts API and the learner's view, and still working when the learner changes the admin's password.
  const stored = (await db.session.findUnique({ where: { id: view.id } }))!.platformSecret!;
  assert.ok(box.isSealed(stored), 'the platform password is sealed at rest');
  const secret = box.open(stored);
  assert.ok(secret.length >= 32 && !JSON.stringify(view).includes(secret) && !stored.includes(secret));
  assert.doesNotMatch((await api('GET', 'accounts')).output, /labdock-platform/);
  await api('PATCH', 'accounts/admin', JSON.stringify({ password: 'changed-by-the-learner' }));
  const platform = await sh('node2', `curl -sS -o /dev/null -w '%{http_code}' -u 'labdock-platform:${secret}' https://dtr.labdock/api/v0/repositories/admin/alpine`);
  assert.equal(platform.output, '200');
});

for (const labId of ['registry-basics', 'registry-rbac', 'registry-operations', 'image-scanning', 'promotion-policies', 'immutable-tags']) {
  test(`the ${labId} lab: every step fails first, then passes after its solve`, { skip, timeout: 300_000 }, async (t) => {
    const { sessions, labs, view } = await startSession(t, path.resolve(import.meta.dirname, '../../labs'), labId);
    assert.equal(view.status, 'ready', view.error);
    const lab = (await labs.get(labId))!;
    for (const step of lab.steps) {
      const before = await sessions.check(view.id, step.id);
      assert.equal(before.passed, false, `${step.id} must fail before its solve`);
      const solved = await sessions.solve(view.id, step.id);
      assert.equal(solved.passed, true, `${step.id} solve: ${solved.message}`);
      const after = await sessions.check(view.id, step.id);
      assert.equal(after.passed, true, `${step.id} after solve: ${after.message}`);
    }
  });
}
