import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenScope } from './token-scope';
import { basic, bearer, pull, push, request } from './fixtures';

const policy = tokenScope('dtr.labdock');

test('a token covers what it was issued for, by bare or host-qualified name; Basic carries no scope', () => {
  const pullToken = bearer('orca', [{ type: 'repository', name: 'orca/a', actions: ['pull'] }]);
  assert.equal(policy.decide(request('GET', '/v2/orca/a/manifests/1', pull('orca/a'), pullToken)), null);
  assert.deepEqual(policy.decide(request('PUT', '/v2/orca/a/manifests/1', push('orca/a'), pullToken)), { kind: 'challenge', message: 'the token does not cover push on orca/a', scope: 'repository:orca/a:pull,push', insufficient: true });
  assert.equal(policy.decide(request('PUT', '/v2/orca/a/manifests/1', push('orca/a'), bearer('orca', [{ type: 'repository', name: 'dtr.labdock/orca/a', actions: ['pull', 'push'] }]))), null);
  assert.equal(policy.decide(request('PUT', '/v2/orca/a/manifests/1', push('orca/a'), basic('orca'))), null);
  assert.notEqual(policy.decide(request('GET', '/v2/orca/b/manifests/1', pull('orca/b'), pullToken)), null, 'another repository');
  assert.equal(policy.decide(request('DELETE', '/v2/x/y/manifests/1', { kind: 'manifest', repository: 'x/y', reference: '1', action: 'delete' }, bearer('a', [{ type: 'repository', name: 'x/y', actions: ['*'] }]))), null, '* covers every action');
});
