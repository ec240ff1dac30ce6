import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCan, can } from './workshop-access';

test('the role table as a matrix: admins everything, instructors their own, unknown roles nothing', () => {
  const mine = { ownerId: 'me' };
  const theirs = { ownerId: 'them' };
  const matrix: [string, 'create' | 'view' | 'manage', { ownerId: string } | undefined, boolean][] = [
    ['admin', 'manage', theirs, true], ['admin', 'view', theirs, true], ['admin', 'create', undefined, true],
    ['instructor', 'manage', mine, true], ['instructor', 'manage', theirs, false], ['instructor', 'view', theirs, false],
    ['instructor', 'create', undefined, true], ['learner', 'view', mine, false], ['learner', 'create', undefined, false],
  ];
  for (const [role, action, w, expected] of matrix) assert.equal(can({ id: 'me', role }, action, w), expected, `${role} ${action}`);
  assert.throws(() => assertCan(null, 'view', mine), /sign in/);
  assert.throws(() => assertCan({ id: 'me', role: 'instructor' }, 'manage', theirs), (e: Error & { status?: number }) => e.status === 404);
  assert.throws(() => assertCan({ id: 'me', role: 'admin' }, 'manage', null), /no such workshop/);
});
