import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { libtrustKeyId, signingKey, signJwt, verifyJwt } from './jwt';
import { createTokenService, parseScope, parseScopes, ScopeError, tokenAllows } from './token-service';
import { repositoryOfScopeName } from './token-endpoint';

const key = signingKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

test('scopes: type, name (which may hold a host:port) and actions; malformed ones are refused', () => {
  assert.deepEqual(parseScope('repository:admin/alpine:pull,push'), { type: 'repository', name: 'admin/alpine', actions: ['pull', 'push'] });
  assert.deepEqual(parseScope('repository:dtr.labdock:443/admin/alpine:*'), { type: 'repository', name: 'dtr.labdock:443/admin/alpine', actions: ['*'] });
  assert.deepEqual(parseScope('repository(plugin):vieux/sshfs:pull'), { type: 'repository', name: 'vieux/sshfs', actions: ['pull'] });
  assert.deepEqual(parseScopes(['repository:a/b:pull repository:a/b:push', 'registry:catalog:*']), [
    { type: 'repository', name: 'a/b', actions: ['pull', 'push'] },
    { type: 'registry', name: 'catalog', actions: ['*'] },
  ]);
  for (const bad of ['repository', 'repository:a/b', ':a/b:pull', 'repository::pull', 'repository:a/b:']) assert.throws(() => parseScope(bad), ScopeError, bad);
  assert.equal(repositoryOfScopeName('dtr.labdock/admin/alpine', 'dtr.labdock'), 'admin/alpine');
  assert.equal(repositoryOfScopeName('dtr.labdock:443/admin/alpine', 'dtr.labdock'), 'admin/alpine');
  assert.equal(repositoryOfScopeName('admin/alpine', 'dtr.labdock'), 'admin/alpine');
});

test('JWTs: ES256 with a libtrust kid; a changed byte, another key or another algorithm fails', async () => {
  assert.match(key.kid, /^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
  assert.equal(libtrustKeyId(key.publicKey), key.kid);
  const jwt = await signJwt(key, { sub: 'admin' });
  assert.deepEqual(await verifyJwt(key, jwt), { sub: 'admin' });
  const [h, p, s] = jwt.split('.');
  assert.equal(await verifyJwt(key, `${h}.${Buffer.from('{"sub":"root"}').toString('base64url')}.${s}`), null);
  assert.equal(await verifyJwt(signingKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), jwt), null);
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: key.kid })).toString('base64url')}.${p}.`;
  assert.equal(await verifyJwt(key, none), null);
  assert.equal(await verifyJwt(key, 'not-a-jwt'), null);
});

test('access and refresh tokens: audience, expiry, and one never passes for the other', async () => {
  let now = 1_800_000_000_000;
  const tokens = createTokenService({ key, service: 'dtr.labdock', now: () => now });
  const { token, expires_in } = await tokens.issueAccess('admin', [{ type: 'repository', name: 'admin/alpine', actions: ['pull'] }]);
  assert.equal(expires_in, 300);
  assert.deepEqual(await tokens.verifyAccess(token), { subject: 'admin', access: [{ type: 'repository', name: 'admin/alpine', actions: ['pull'] }] });
  const refresh = await tokens.issueRefresh('admin', 'hash');
  assert.equal(await tokens.verifyAccess(refresh), null);
  assert.equal(await tokens.verifyRefresh(token), null);
  assert.equal((await tokens.verifyRefresh(refresh))?.subject, 'admin');
  assert.equal(await createTokenService({ key, service: 'other.host', now: () => now }).verifyAccess(token), null, 'audience');
  now += 311_000;
  assert.equal(await tokens.verifyAccess(token), null, 'expired after 5 minutes (and the leeway)');
  assert.equal((await tokens.verifyRefresh(refresh))?.subject, 'admin', 'refresh tokens last longer');
  assert.ok(tokenAllows([{ type: 'repository', name: 'a/b', actions: ['*'] }], 'repository', ['a/b'], 'push'));
  assert.ok(!tokenAllows([{ type: 'repository', name: 'a/b', actions: ['pull'] }], 'repository', ['a/c'], 'pull'));
});
