import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roleAccess } from './role-access';
import { basic, grants, pull, push, request } from './fixtures';

const policy = roleAccess({ grants });

test('owners push, others are denied, anonymous callers are challenged with the scope, public images are pulled by anyone', () => {
  assert.equal(policy.decide(request('PUT', '/v2/orca/a/manifests/1', push('orca/a'), basic('orca'))), null);
  assert.deepEqual(policy.decide(request('PUT', '/v2/orca/a/manifests/1', push('orca/a'), basic('moby'))), { kind: 'error', status: 403, code: 'DENIED', message: 'requested access to the resource is denied: moby may not push orca/a' });
  assert.deepEqual(policy.decide(request('GET', '/v2/orca/a/manifests/1', pull('orca/a'), null)), { kind: 'challenge', message: 'authentication required', scope: 'repository:orca/a:pull', insufficient: false });
  assert.equal(policy.decide(request('GET', '/v2/public/a/manifests/1', pull('public/a'), null)), null);
  assert.equal(policy.decide(request('PUT', '/v2/orca/a/manifests/1', push('orca/a'), basic('moby', 'read-write'))), null, 'a global role');
});

test('trust data refusals are insufficient-scope challenges (what notary clients understand)', () => {
  const r = policy.decide(request('POST', '/v2/dtr.labdock/orca/a/_trust/tuf/', { kind: 'trust', repository: 'orca/a', action: 'push' }, basic('moby')));
  assert.deepEqual(r, { kind: 'challenge', message: 'moby may not push trust data of orca/a', scope: 'repository:orca/a:pull,push', insufficient: true });
});

test('a grants lookup that throws refuses (the chain turns it into an error, never a pass)', async () => {
  const { runChain } = await import('../chain');
  const broken = roleAccess({ grants: () => { throw new Error('store unreadable'); } });
  const r = await runChain([broken], request('GET', '/v2/public/a/manifests/1', pull('public/a'), null));
  assert.deepEqual(r, { kind: 'error', status: 500, code: 'UNKNOWN', message: 'the registry could not decide this request' });
});
