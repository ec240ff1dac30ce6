import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceExists } from './namespace-exists';
import { basic, pull, push, request } from './fixtures';

const policy = namespaceExists({ exists: (ns) => ns === 'orca' });

test('pushes need a valid name and tag under an existing namespace; pulls and anonymous pushes are not its business', () => {
  assert.equal(policy.decide(request('PUT', '/', push('orca/aa'), basic('orca'))), null);
  assert.deepEqual(policy.decide(request('PUT', '/', push('ghost/aa'), basic('orca'))), { kind: 'error', status: 404, code: 'NAME_UNKNOWN', message: 'no user or organization named ghost: create it first, or push to your own namespace' });
  assert.equal((policy.decide(request('PUT', '/', push('orca/aa', '-bad'), basic('orca'))) as { code: string }).code, 'TAG_INVALID');
  assert.equal((policy.decide(request('PUT', '/', push('orca'), basic('orca'))) as { code: string }).code, 'NAME_INVALID');
  assert.equal(policy.decide(request('PUT', '/', push('orca/aa', 'sha256:abc'), basic('orca'))), null, 'a digest is not a tag');
  assert.equal(policy.decide(request('GET', '/', pull('ghost/aa'), basic('orca'))), null);
  assert.equal(policy.decide(request('PUT', '/', push('ghost/aa'), null)), null);
});
