/**
 * Typed registry checks: parsing with reasons, and the failure messages each
 * kind generates — evaluated against a registry state given as API answers
 * (the real registry is exercised by the labs that use these checks, in
 * runtime/registry/registry-session.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRegistryChecks, parseRegistryChecks, RegistryCheckError, type RegistryRead } from './registry-checks';

const registry: Record<string, unknown> = {
  '/api/v0/repositories/admin/alpine': { visibility: 'private', immutableTags: false, scanOnPush: true, tagLimit: 0, teamAccess: {} },
  '/api/v0/repositories/admin/alpine/tags': { tags: [
    { name: '3.3', digest: 'sha256:aaa', inNotary: true, vuln_summary: { critical: 0, major: 0, minor: 0, unknown: 9, last_scan_status: 'completed' } },
    { name: '3.6', digest: 'sha256:bbb', vuln_summary: { critical: 0, major: 0, minor: 0, unknown: 0, last_scan_status: 'scanning' } },
    { name: 'copy', digest: 'sha256:aaa', inNotary: false, vuln_summary: null },
  ] },
  '/api/v0/repositories/engineering/barca': { teamAccess: { core: 'read-only' } },
  '/api/v0/accounts/moby': { type: 'user', name: 'moby', globalRole: 'read-only' },
  '/api/v0/accounts/engineering': { type: 'organization', name: 'engineering' },
  '/api/v0/accounts/engineering/teams/core': { members: ['gordon'] },
};
const read: RegistryRead = async (path) => (path in registry ? { status: 200, body: registry[path] } : { status: 404, body: {} });
const run = async (yaml: string) => (await evaluateRegistryChecks(parseRegistryChecks(yaml), read)).message;

test('parsing: a YAML list of kinds; anything else is refused with the reason', () => {
  assert.deepEqual(parseRegistryChecks('- repository: admin/alpine\n  immutableTags: true'), [{ kind: 'repository', repository: 'admin/alpine', exists: true, immutableTags: true }]);
  for (const [yaml, reason] of [
    ['repository: admin/alpine', /YAML list/],
    ['- repo: admin/alpine', /names no kind/],
    ['- repository: alpine', /namespace\/repository/],
    ['- repository: admin/alpine\n  immutable: true', /unrecognized|immutable/i],
    ['- tag: admin/alpine', /namespace\/repository:tag/],
    ['- [', /not valid YAML/],
  ] as const) assert.throws(() => parseRegistryChecks(yaml), (e: Error) => e instanceof RegistryCheckError && reason.test(e.message), yaml);
});

test('each kind passes on the right state and says what is missing otherwise', async () => {
  assert.equal(await run('- repository: admin/alpine\n  scanOnPush: true\n- user: moby\n  globalRole: read-only\n- organization: engineering'), 'Done.');
  assert.equal(await run('- repository: admin/alpine\n  immutableTags: true'), 'admin/alpine exists but immutableTags is false, not true.');
  assert.equal(await run('- repository: admin/nope'), 'There is no repository admin/nope yet.');
  assert.equal(await run('- repository: admin/alpine\n  exists: false'), 'admin/alpine still exists: delete it.');
  assert.equal(await run('- tag: admin/alpine:3.3\n  scanned: true\n  vulnerabilities: { min: 1 }'), 'Done.');
  assert.equal(await run('- tag: admin/alpine:3.3\n  vulnerabilities: { max: 0 }'), 'admin/alpine:3.3 has 9 vulnerabilities, expected at most 0.');
  assert.match(await run('- tag: admin/alpine:3.6\n  scanned: true'), /has not been scanned \(its scan is scanning\)/);
  assert.equal(await run('- tag: admin/alpine:9.9'), 'admin/alpine has no tag 9.9 yet.');
  assert.equal(await run('- tag: admin/alpine:3.3\n  signed: true'), 'Done.');
  assert.equal(await run('- tag: admin/alpine:copy\n  signed: true'), 'admin/alpine:copy is not signed: push it with DOCKER_CONTENT_TRUST=1 (or docker trust sign it).');
  assert.equal(await run('- tag: admin/alpine:copy\n  sameDigestAs: admin/alpine:3.3'), 'Done.');
  assert.match(await run('- tag: admin/alpine:3.6\n  sameDigestAs: admin/alpine:3.3'), /not the same image as admin\/alpine:3.3/);
  assert.equal(await run('- user: moby\n  globalRole: admin'), 'moby exists but their global role is read-only, not admin.');
  assert.equal(await run('- team: engineering/core\n  members: [gordon, orca]'), 'The team engineering/core exists but orca is not a member yet.');
  assert.equal(await run('- teamAccess: engineering/barca\n  team: core\n  accessLevel: read-only'), 'Done.');
  assert.equal(await run('- teamAccess: engineering/barca\n  team: frontend\n  accessLevel: read-write'), 'The team frontend has no access to engineering/barca yet: give it read-write.');
  assert.equal(await run('- teamAccess: engineering/barca\n  team: core\n  accessLevel: null'), 'The team core still has read-only access to engineering/barca.');
});

test('a registry that answers with an error fails the check with the reason (never a pass)', async () => {
  const broken: RegistryRead = async () => ({ status: 503, body: {} });
  const outcome = await evaluateRegistryChecks(parseRegistryChecks('- repository: admin/alpine'), broken);
  assert.deepEqual(outcome, { passed: false, message: 'The registry could not be checked: the registry answered 503 for /api/v0/repositories/admin/alpine' });
});
