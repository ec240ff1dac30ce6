/** The console's allow-list: what a browser request may reach on a session's registry node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registryTarget } from './registry-target';

const allowed: [string, string, string, string][] = [
  ['GET', '/api/v0/repositories', '', '/api/v0/repositories'],
  ['POST', '/api/v0/accounts', '', '/api/v0/accounts'],
  ['PUT', '/api/v0/accounts/engineering/teams/core/members/moby', '', '/api/v0/accounts/engineering/teams/core/members/moby'],
  ['PATCH', '/api/v0/repositories/admin/alpine', '', '/api/v0/repositories/admin/alpine'],
  ['DELETE', '/api/v0/repositories/admin/alpine/tags/3.6', '', '/api/v0/repositories/admin/alpine/tags/3.6'],
  ['GET', '/api/v0/repositories/admin/alpine/tags', '?pageSize=10&pageStart=a b', '/api/v0/repositories/admin/alpine/tags?pageSize=10&pageStart=a+b'],
  ['GET', '/api/v0/imagescan/scansummary/repositories/admin/alpine/sha256:abc', '', '/api/v0/imagescan/scansummary/repositories/admin/alpine/sha256:abc'],
  ['GET', '/v2/_catalog', '?n=100', '/v2/_catalog?n=100'],
  ['GET', '/v2/engineering/barca/tags/list', '', '/v2/engineering/barca/tags/list'],
];

for (const [method, path, search, forwarded] of allowed) {
  test(`allowed: ${method} ${path}${search}`, () => {
    assert.deepEqual(registryTarget(method, path, search), { path: forwarded });
  });
}

const refused: [string, string, RegExp][] = [
  ['PUT', '/v2/admin/alpine/manifests/3.6', /only reads/],
  ['GET', '/v2/admin/alpine/manifests/3.6', /only reads/],
  ['GET', '/v2/admin/alpine/blobs/sha256:abc', /only reads/],
  ['POST', '/v2/admin/alpine/blobs/uploads/', /empty path segment/],
  ['DELETE', '/v2/admin/alpine/tags/list', /only reads from \/v2/],
  ['POST', '/v2/_catalog', /only reads from \/v2/],
  ['GET', '/v2/', /empty path segment/],
  ['GET', '/v2/tags/list', /only reads/],
  ['GET', '/auth/token', /only \/api\/v0/],
  ['POST', '/auth/token', /only \/api\/v0/],
  ['GET', '/_ping', /only \/api\/v0/],
  ['GET', '/nginx_status', /only \/api\/v0/],
  ['GET', '/api/v0', /API resource/],
  ['GET', '/api/v1/repositories', /only \/api\/v0/],
  ['HEAD', '/api/v0/repositories', /method HEAD/],
  ['OPTIONS', '/api/v0/repositories', /method OPTIONS/],
  ['GET', '/api/v0/../../v2/admin/alpine/manifests/1', /relative/],
  ['GET', '/api/v0/./accounts', /relative/],
  ['GET', '/api/v0/%2e%2e/v2/x/manifests/1', /characters/],
  ['GET', '/api/v0/repositories%2fadmin', /characters/],
  ['GET', '/api/v0//accounts', /empty path segment/],
  ['GET', '/api/v0/accounts/a\\b', /characters/],
  ['GET', 'api/v0/accounts', /start with \//],
  ['GET', `/api/v0/${'a'.repeat(1100)}`, /longer than/],
];

for (const [method, path, problem] of refused) {
  test(`refused: ${method} ${path.slice(0, 60)}`, () => {
    const target = registryTarget(method, path, '');
    assert.ok('problem' in target, `${method} ${path} must be refused, got ${JSON.stringify(target)}`);
    assert.match(target.problem, problem);
  });
}

test('a query longer than 1 KiB is refused', () => {
  const target = registryTarget('GET', '/api/v0/repositories', `?q=${'x'.repeat(1100)}`);
  assert.ok('problem' in target && /query is longer/.test(target.problem));
});
