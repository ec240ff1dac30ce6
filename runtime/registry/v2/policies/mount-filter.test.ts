import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountFilter } from './mount-filter';
import { basic, bearer, grants, request } from './fixtures';

const policy = mountFilter({ grants, host: 'dtr.labdock' });
const upload = { kind: 'upload' as const, repository: 'orca/aa', action: 'push' as const };
const mount = (from: string, identity = basic('orca')) => {
  const ctx = request('POST', `/v2/orca/aa/blobs/uploads/?mount=sha256:abc&from=${from}`, upload, identity);
  assert.equal(policy.decide(ctx), null, 'never refuses');
  return ctx.url.search;
};

test('a mount from a repository the caller may not pull becomes a plain upload', () => {
  assert.equal(mount('orca/bb'), '?mount=sha256:abc&from=orca/bb', 'own repository: kept');
  assert.equal(mount('moby/secret'), '', 'another private repository: dropped');
  assert.equal(mount('public/xx'), '?mount=sha256:abc&from=public/xx');
  assert.equal(mount('not a name'), '');
  assert.equal(mount('orca/bb', bearer('orca', [{ type: 'repository', name: 'orca/aa', actions: ['pull', 'push'] }])), '', 'the token does not cover pulling the source');
});

test('a grants lookup that throws drops the mount (fails closed)', () => {
  const broken = mountFilter({ grants: () => { throw new Error('store unreadable'); }, host: 'dtr.labdock' });
  const ctx = request('POST', '/v2/orca/aa/blobs/uploads/?mount=sha256:abc&from=orca/bb', upload, basic('orca'));
  assert.throws(() => broken.decide(ctx));
  assert.equal(ctx.url.search, '');
});
