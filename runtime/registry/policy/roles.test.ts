/**
 * The role table as a matrix, and seed 001's Task 4 exactly: orca pushes
 * engineering/barca, moby pulls it but cannot push, ahab pushes
 * engineering/madrid but not engineering/barca.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, allowedActions, may, type Principal, type RepositoryGrants } from './roles';

const users: Record<string, Principal> = {
  gordon: { name: 'gordon', globalRole: 'admin' },
  orca: { name: 'orca', globalRole: 'read-write' },
  moby: { name: 'moby', globalRole: 'read-only' },
  ahab: { name: 'ahab', globalRole: 'none' },
};
// Teams: core = gordon, orca (barca: read-only); frontend = gordon, moby, ahab (madrid: read-write).
const teams = { core: ['gordon', 'orca'], frontend: ['gordon', 'moby', 'ahab'] };
const barca = (who: string): RepositoryGrants => ({ namespace: 'engineering', visibility: 'private', organizationOwner: false, teamRoles: teams.core.includes(who) ? ['read-only'] : [] });
const madrid = (who: string): RepositoryGrants => ({ namespace: 'engineering', visibility: 'private', organizationOwner: false, teamRoles: teams.frontend.includes(who) ? ['read-write'] : [] });

test('seed 001 Task 4: who can push and pull barca and madrid', () => {
  assert.ok(may(users.orca, barca('orca'), 'push'), 'orca pushes barca (global read-write)');
  assert.ok(may(users.moby, barca('moby'), 'pull'), 'moby pulls barca (global read-only)');
  assert.ok(!may(users.moby, barca('moby'), 'push'), 'moby cannot push barca');
  assert.ok(may(users.ahab, madrid('ahab'), 'push'), 'ahab pushes madrid (frontend team, read-write)');
  assert.ok(!may(users.ahab, barca('ahab'), 'push'), 'ahab cannot push barca');
  assert.ok(!may(users.ahab, barca('ahab'), 'view'), 'ahab does not even see barca');
  assert.ok(may(users.gordon, barca('gordon'), 'manage'), 'gordon (admin) manages everything');
});

test('the matrix: each grant on its own gives exactly its role\'s actions', () => {
  const none: Principal = { name: 'pat', globalRole: 'none' };
  const repo = (over: Partial<RepositoryGrants> = {}): RepositoryGrants => ({ namespace: 'org', visibility: 'private', teamRoles: [], organizationOwner: false, ...over });
  const rows: [string, Principal | null, RepositoryGrants, string[]][] = [
    ['anonymous, private', null, repo(), []],
    ['anonymous, public', null, repo({ visibility: 'public' }), ['view', 'pull']],
    ['no grant, private', none, repo(), []],
    ['global read-only', { name: 'pat', globalRole: 'read-only' }, repo(), ['view', 'pull']],
    ['global read-write', { name: 'pat', globalRole: 'read-write' }, repo(), ['view', 'pull', 'push', 'scan']],
    ['global admin', { name: 'pat', globalRole: 'admin' }, repo(), [...ACTIONS]],
    ['team read-only', none, repo({ teamRoles: ['read-only'] }), ['view', 'pull']],
    ['team read-write', none, repo({ teamRoles: ['read-write'] }), ['view', 'pull', 'push', 'scan']],
    ['team admin', none, repo({ teamRoles: ['admin'] }), [...ACTIONS]],
    ['own namespace', none, repo({ namespace: 'pat' }), [...ACTIONS]],
    ['organization owner', none, repo({ organizationOwner: true }), [...ACTIONS]],
    ['read-only user, public repo', { name: 'pat', globalRole: 'read-only' }, repo({ visibility: 'public' }), ['view', 'pull']],
  ];
  for (const [label, who, r, want] of rows) {
    assert.deepEqual([...allowedActions(who, r)].sort(), [...want].sort(), label);
  }
});
