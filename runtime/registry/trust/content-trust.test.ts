/**
 * Docker Content Trust in a lab session, on a real engine: the real docker
 * and notary CLIs in DinD nodes, the real notary-server and notary-signer on
 * PostgreSQL in the registry node, behind the control plane (seed 004 steps
 * 3 and 5, seed 002's content-trust notes, issue 6).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerEngineForTests, dockerProvisionerForTests, labSessionsForTests } from '../../sessions/docker-lab-fixture';
import path from 'node:path';
import { LABELS, type Provisioner } from '../../provisioner/provisioner';
import { REGISTRY_NODE } from '../../registry-host/start-registry';

const engine = await dockerEngineForTests();
const { docker, skip } = engine;

const LAB = `---
id: trust
title: Trust fixture
summary: Two nodes and the bundled registry.
difficulty: beginner
duration: 5m
engine: docker
registry: true
nodes:
  - name: node1
  - name: node2
---

<Step id="noop" title="Nothing">

\`\`\`bash check node=node1
test -e /tmp/done || { echo "not done"; exit 1; }
\`\`\`

\`\`\`bash solve node=node1
touch /tmp/done
\`\`\`

</Step>
`;

const GUN = 'dtr.labdock/admin/alpine';
/**
 * Passphrases by environment, as solve scripts give them: nothing prompts.
 * docker uses its repository passphrase for every non-root key, delegation
 * keys imported with notary included, hence one passphrase for all of them.
 */
const PASSPHRASES = [
  'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=root-pass-1234', 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=repo-pass-1234',
  'NOTARY_ROOT_PASSPHRASE=root-pass-1234', 'NOTARY_TARGETS_PASSPHRASE=repo-pass-1234', 'NOTARY_SNAPSHOT_PASSPHRASE=repo-pass-1234',
  'NOTARY_DELEGATION_PASSPHRASE=repo-pass-1234',
].join(' ');

let provisioner: Provisioner;
before(async () => {
  if (skip) return;
  provisioner = await dockerProvisionerForTests(engine, { instance: `trusttest-${process.pid}` });
}, { timeout: 1_200_000 });

test('content trust: signed push, trusted pulls, notary CLI, keys, delegation, RBAC, persistence', { skip, timeout: 900_000 }, async (t) => {
  const { sessions } = await labSessionsForTests(t, provisioner, { trust: LAB });
  const { view } = await sessions.create('trust', { wait: true });
  assert.equal(view.status, 'ready', view.error);
  const pw = view.registry!.password;
  const notaryAuth = Buffer.from(`admin:${pw}`).toString('base64');
  /** Runs on a node with the passphrases and the admin's notary credentials in the environment. */
  const run = async (node: string, command: string) => {
    const r = await sessions.exec(view.id, node, `export ${PASSPHRASES} NOTARY_AUTH=${notaryAuth}; ${command}`);
    return { ...r, text: `${command}\n→ exit ${r.exitCode}\n${r.output}` };
  };
  const ok = async (node: string, command: string) => {
    const r = await run(node, command);
    assert.equal(r.exitCode, 0, r.text);
    return r.output;
  };
  const fails = async (node: string, command: string, pattern: RegExp) => {
    const r = await run(node, command);
    assert.notEqual(r.exitCode, 0, r.text);
    assert.match(r.output, pattern, r.text);
  };
  /** A read-only notary command that must have reached the server, not answered from its cache. */
  const notaryRead = async (node: string, command: string, env = '') => {
    const out = await ok(node, `${env} notary ${command} 2>&1`);
    assert.doesNotMatch(out, /Error while downloading remote metadata|offline/, `notary ${command} used its cache:\n${out}`);
    return out;
  };
  /** The server's view of a role's key ids, from root.json (what clients verify against). */
  const rootKeyIds = async (role: string) => JSON.parse(await ok('node1', `curl -fsS -u 'admin:${pw}' https://${GUN.split('/')[0]}/v2/${GUN}/_trust/tuf/root.json`)).signed.roles[role].keyids as string[];

  for (const node of ['node1', 'node2']) await ok(node, `echo '${pw}' | docker login dtr.labdock -u admin --password-stdin >/dev/null`);
  await ok('node1', 'docker pull -q alpine:3.6 >/dev/null && docker tag alpine:3.6 dtr.labdock/admin/alpine:trusted && docker tag alpine:3.6 dtr.labdock/admin/alpine:unsigned');
  const plain = Date.now();
  await ok('node1', 'docker push -q dtr.labdock/admin/alpine:unsigned');
  t.diagnostic(`unsigned push (layers uploaded) took ${Date.now() - plain} ms`);

  // Sign on push with nothing configured but DOCKER_CONTENT_TRUST=1 (and passphrases, which would otherwise be prompted for).
  const started = Date.now();
  const pushed = await ok('node1', 'DOCKER_CONTENT_TRUST=1 docker push dtr.labdock/admin/alpine:trusted 2>&1');
  t.diagnostic(`signed push of the same image (layers present; root, targets and snapshot keys made) took ${Date.now() - started} ms`);
  assert.match(pushed, /Signing and pushing trust metadata/);
  assert.match(pushed, /Successfully signed dtr\.labdock\/admin\/alpine:trusted/);

  // Trust on: signed tag pulls by digest, unsigned refused. Trust off: both pull.
  const pulled = await ok('node2', 'DOCKER_CONTENT_TRUST=1 docker pull dtr.labdock/admin/alpine:trusted 2>&1');
  assert.match(pulled, /Pull \(1 of 1\): dtr\.labdock\/admin\/alpine:trusted@sha256:[0-9a-f]{64}/);
  await fails('node2', 'DOCKER_CONTENT_TRUST=1 docker pull dtr.labdock/admin/alpine:unsigned 2>&1', /No valid trust data for unsigned/);
  await ok('node2', 'DOCKER_CONTENT_TRUST=0 docker pull -q dtr.labdock/admin/alpine:unsigned && DOCKER_CONTENT_TRUST=0 docker pull -q dtr.labdock/admin/alpine:trusted');

  // The notary CLI is preconfigured: no -s, -d or --tlscacert. Its read-only
  // commands authenticate with Bearer tokens only (the repository is private).
  assert.match(await notaryRead('node2', `list ${GUN}`), /^trusted\s+[0-9a-f]{64}\s+\d+\s+targets\s*$/m);
  // The tags API says which tags are signed, and by which roles (DTR's inNotary).
  const tags = JSON.parse(await ok('node1', `curl -fsS -u 'admin:${pw}' https://dtr.labdock/api/v0/repositories/admin/alpine/tags`)).tags as { name: string; inNotary: boolean; signedBy: string[] }[];
  assert.deepEqual(tags.map((x) => [x.name, x.inNotary, x.signedBy]).sort(), [['trusted', true, ['targets']], ['unsigned', false, []]]);

  // Steady state, layers present either way: what signing adds to a push once the keys exist.
  await ok('node1', 'docker tag alpine:3.6 dtr.labdock/admin/alpine:plain2 && docker tag alpine:3.6 dtr.labdock/admin/alpine:signed2');
  let mark = Date.now();
  await ok('node1', 'docker push -q dtr.labdock/admin/alpine:plain2');
  const plainMs = Date.now() - mark;
  mark = Date.now();
  await ok('node1', 'DOCKER_CONTENT_TRUST=1 docker push dtr.labdock/admin/alpine:signed2');
  t.diagnostic(`push with layers present: unsigned ${plainMs} ms, signed ${Date.now() - mark} ms`);
  const more = JSON.parse(await ok('node1', `curl -fsS -u 'admin:${pw}' https://dtr.labdock/api/v0/repositories/admin/alpine/tags`)).tags as { name: string; inNotary: boolean }[];
  assert.deepEqual(more.filter((x) => x.name.endsWith('2')).map((x) => [x.name, x.inNotary]).sort(), [['plain2', false], ['signed2', true]]);

  // RBAC: a read-only user reads trust data but cannot publish it.
  await ok('node1', `curl -fsS -u 'admin:${pw}' -H 'content-type: application/json' -d '{"type":"user","name":"reader","password":"reader-password","globalRole":"read-only"}' https://dtr.labdock/api/v0/accounts >/dev/null`);
  const readerAuth = Buffer.from('reader:reader-password').toString('base64');
  assert.match(await notaryRead('node2', `list ${GUN}`, `NOTARY_AUTH=${readerAuth}`), /^trusted\s/m);
  await ok('node2', 'echo reader-password | docker login dtr.labdock -u reader --password-stdin >/dev/null');
  await fails('node2', 'docker tag dtr.labdock/admin/alpine:unsigned dtr.labdock/admin/alpine:reader && DOCKER_CONTENT_TRUST=1 docker push dtr.labdock/admin/alpine:reader 2>&1', /denied/);
  await ok('node2', `echo '${pw}' | docker login dtr.labdock -u admin --password-stdin >/dev/null`);
  // Even holding the repository's keys (node1 does), the reader's publish is refused by the server side.
  await ok('node1', `echo hi > /tmp/hi.txt && notary add ${GUN} hi /tmp/hi.txt`);
  await fails('node1', `NOTARY_AUTH=${readerAuth} notary publish ${GUN} 2>&1`, /you are not authorized to perform this operation/);
  await ok('node1', `notary reset ${GUN} --all`);
  assert.doesNotMatch(await notaryRead('node1', `list ${GUN}`), /^hi\s/m);
  const raw = await run('node2', `curl -sS -o /dev/null -w '%{http_code}' -u reader:reader-password -X POST https://dtr.labdock/v2/${GUN}/_trust/tuf/`);
  assert.equal(raw.output, '401', raw.text);
  const other = await run('node2', `curl -sS -o /dev/null -w '%{http_code}' -u 'admin:${pw}' https://dtr.labdock/v2/docker.io/admin/alpine/_trust/tuf/root.json`);
  assert.equal(other.output, '404', 'trust data for another registry is not served here');

  // Seed 004 step 5: rotate the targets key (new key id), then hand the snapshot key to the server.
  const targetsBefore = await rootKeyIds('targets');
  await ok('node1', `notary key rotate ${GUN} targets`);
  const targetsAfter = await rootKeyIds('targets');
  assert.notDeepEqual(targetsAfter, targetsBefore);
  assert.match(await ok('node1', 'notary key list'), new RegExp(`^\\s*targets\\s+${GUN.replace(/\./g, '\\.')}\\s+${targetsAfter[0]}`, 'm'));
  const snapshotBefore = await rootKeyIds('snapshot');
  await ok('node1', `notary key rotate ${GUN} snapshot -r`);
  const snapshotAfter = await rootKeyIds('snapshot');
  assert.notDeepEqual(snapshotAfter, snapshotBefore);
  // The new snapshot key was made by the server (its signer): the client never held it.
  assert.ok(!(await ok('node1', 'notary key list')).includes(snapshotAfter[0]), 'the snapshot key is held by the server only');

  // Delegation: node2's delegate makes a key pair and certificate; node1 (the owner) adds it; the delegate signs.
  await ok('node2', 'cd /root && openssl genrsa -out delegation.key 2048 2>/dev/null && openssl req -new -sha256 -key delegation.key -out delegation.csr -subj /CN=delegate && openssl x509 -req -sha256 -days 365 -in delegation.csr -signkey delegation.key -out delegation.crt 2>/dev/null');
  await ok('node2', 'cd /root && notary key import delegation.key --role user');
  const cert = await ok('node2', 'cat /root/delegation.crt');
  await ok('node1', `cat > /root/delegation.crt <<'PEM'\n${cert.trim()}\nPEM\nnotary delegation add ${GUN} targets/releases /root/delegation.crt --all-paths && notary publish ${GUN}`);
  assert.match(await notaryRead('node2', `delegation list ${GUN}`), /targets\/releases/);
  await ok('node2', 'echo hello > /tmp/scripts.sh');
  await ok('node2', `notary add ${GUN} delegated-file /tmp/scripts.sh -r targets/releases && notary publish ${GUN}`);
  assert.match(await notaryRead('node1', `list ${GUN} -r targets/releases`), /^delegated-file\s/m);
  // docker trust with a delegate made by docker itself: signer add by the owner, sign by the delegate.
  await ok('node2', 'cd /root && docker trust key generate ci --dir /root >/dev/null');
  const ciPub = await ok('node2', 'cat /root/ci.pub');
  await ok('node1', `cat > /root/ci.pub <<'PEM'\n${ciPub.trim()}\nPEM\ndocker trust signer add --key /root/ci.pub ci dtr.labdock/admin/alpine`);
  await ok('node2', 'docker tag dtr.labdock/admin/alpine:unsigned dtr.labdock/admin/alpine:ci && docker trust sign dtr.labdock/admin/alpine:ci');
  const inspect = JSON.parse(await ok('node1', 'docker trust inspect dtr.labdock/admin/alpine:ci'));
  const ci = inspect[0].SignedTags.find((s: { SignedTag: string }) => s.SignedTag === 'ci');
  assert.ok(ci?.Signers.includes('ci'), JSON.stringify(inspect));

  // The same trust data after a restart of the registry node (PostgreSQL in its volume).
  const listed = await notaryRead('node1', `list ${GUN}`);
  const [registry] = await docker.listContainers({ filters: { label: [`${LABELS.session}=${view.id}`, `${LABELS.node}=${REGISTRY_NODE}`] } });
  assert.ok(registry, 'registry node container');
  const restarted = Date.now();
  await docker.getContainer(registry.Id).restart();
  for (let i = 0; i < 300 && (await run('node1', 'curl -fsS -o /dev/null https://dtr.labdock/_ping')).exitCode !== 0; i++) await new Promise((r) => setTimeout(r, 200));
  t.diagnostic(`registry node ready ${Date.now() - restarted} ms after restart`);
  // A fresh trust dir: nothing cached on the client, everything from the restarted server.
  assert.equal(await notaryRead('node1', `-d /tmp/fresh-trust list ${GUN}`), listed);
  await ok('node2', 'docker rmi -f dtr.labdock/admin/alpine:trusted >/dev/null; DOCKER_CONTENT_TRUST=1 docker pull -q dtr.labdock/admin/alpine:trusted');
  // Notary's back ends have their logs in the registry API, like Distribution's (seed 001 Task 5).
  for (const component of ['notary-server', 'notary-signer', 'postgres']) {
    await ok('node1', `curl -fsS -u 'admin:${pw}' 'https://dtr.labdock/api/v0/meta/logs/${component}?limit=5' | jq -e '.lines | length > 0' >/dev/null`);
  }
  // The signer still decrypts its keys after the restart: publishing needs the server's timestamp (and now snapshot) keys.
  await ok('node1', `echo again > /tmp/again.txt && notary add ${GUN} again /tmp/again.txt && notary publish ${GUN}`);
});

for (const labId of ['content-trust', 'notary']) {
  test(`the ${labId} lab: every step fails first, then passes after its solve`, { skip, timeout: 600_000 }, async (t) => {
    const { sessions, labs } = await labSessionsForTests(t, provisioner, path.resolve(import.meta.dirname, '../../../labs'));
    const { view } = await sessions.create(labId, { wait: true });
    assert.equal(view.status, 'ready', view.error);
    const lab = (await labs.get(labId))!;
    for (const step of lab.steps) {
      const before = await sessions.check(view.id, step.id);
      assert.equal(before.passed, false, `${step.id} must fail before its solve`);
      const started = Date.now();
      const solved = await sessions.solve(view.id, step.id);
      assert.equal(solved.passed, true, `${step.id} solve: ${solved.message}`);
      t.diagnostic(`${labId}/${step.id}: solved in ${Date.now() - started} ms; before: ${before.message}`);
      const after = await sessions.check(view.id, step.id);
      assert.equal(after.passed, true, `${step.id} after solve: ${after.message}`);
    }
  });
}
