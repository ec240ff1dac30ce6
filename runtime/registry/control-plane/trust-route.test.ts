import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyTrust, notaryAddress } from './trust-route';

const GUN = '/v2/dtr.labdock/admin/alpine/_trust';

test('trust paths: repository without the host, and the action each notary request needs', () => {
  assert.equal(classifyTrust('GET', '/v2/admin/alpine/manifests/latest', 'dtr.labdock'), null);
  assert.deepEqual(classifyTrust('GET', `${GUN}/tuf/root.json`, 'dtr.labdock'), { kind: 'trust', gun: 'dtr.labdock/admin/alpine', repository: 'admin/alpine', action: 'pull' });
  const action = (method: string, rest: string) => (classifyTrust(method, `${GUN}/${rest}`, 'dtr.labdock') as { action: string }).action;
  assert.equal(action('GET', 'tuf/targets/releases.json'), 'pull');
  assert.equal(action('HEAD', 'tuf/timestamp.json'), 'pull');
  assert.equal(action('GET', 'changefeed'), 'pull');
  assert.equal(action('POST', 'tuf/'), 'push');
  assert.equal(action('GET', 'tuf/timestamp.key'), 'push', 'fetching a server key may create it');
  assert.equal(action('POST', 'tuf/snapshot.key'), 'manage', 'key rotation is scope *');
  assert.equal(action('DELETE', 'tuf/'), 'manage');
  assert.equal((classifyTrust('GET', `${GUN}/tuf/root.json`, 'dtr.labdock:443') as { kind: string }).kind, 'trust');
});

test('trust paths: another registry\'s GUN, a GUN without host, a bad repository are refused with a reason', () => {
  for (const [path, pattern] of [
    ['/v2/docker.io/library/alpine/_trust/tuf/root.json', /not docker\.io\/library\/alpine/],
    ['/v2/alpine/_trust/tuf/root.json', /dtr\.labdock\/<repository>/],
    ['/v2/dtr.labdock/Admin/alpine/_trust/tuf/root.json', /account name "Admin"/],
    ['/v2/dtr.labdock/alpine/_trust/tuf/root.json', /<namespace>\/<repository>/],
  ] as const) {
    const r = classifyTrust('GET', path, 'dtr.labdock');
    assert.equal(r?.kind, 'trust-invalid', path);
    assert.match((r as { problem: string }).problem, pattern);
  }
});

test('notaryAddress: from LABDOCK_NOTARY_URL, absent when unset', () => {
  assert.deepEqual(notaryAddress('http://127.0.0.1:4443'), { host: '127.0.0.1', port: 4443 });
  assert.equal(notaryAddress(undefined), undefined);
  assert.equal(notaryAddress(''), undefined);
});
