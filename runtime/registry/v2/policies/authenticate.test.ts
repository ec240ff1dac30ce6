import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticate, type AuthenticateDeps } from './authenticate';

const deps: AuthenticateDeps = {
  verifyToken: (t) => (t === 'good' ? { subject: 'orca', access: [] } : t === 'anon' ? { subject: '', access: [] } : t === 'gone' ? { subject: 'deleted', access: [] } : null),
  livePrincipal: (name) => (name === 'orca' ? { name, globalRole: 'none' } : null),
  verifyPassword: async (name, password) => (name === 'orca' && password === 'pw:with:colons' ? { name, globalRole: 'none' } : null),
};
const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

test('no credentials, valid ones, and every way credentials can fail', async () => {
  assert.equal(await authenticate(undefined, deps), null);
  assert.deepEqual(await authenticate('Bearer good', deps), { principal: { name: 'orca', globalRole: 'none' }, access: [] });
  assert.deepEqual(await authenticate('Bearer anon', deps), { principal: null, access: [] });
  assert.equal(await authenticate('Bearer gone', deps), 'invalid', "a deleted user's token dies with the user");
  assert.equal(await authenticate('Bearer forged', deps), 'invalid');
  assert.deepEqual(await authenticate(basic('orca:pw:with:colons'), deps), { principal: { name: 'orca', globalRole: 'none' }, access: 'any' });
  assert.equal(await authenticate(basic('orca:wrong'), deps), 'invalid');
  assert.equal(await authenticate(basic('no-colon'), deps), 'invalid');
  assert.equal(await authenticate('Digest x', deps), 'invalid');
});
