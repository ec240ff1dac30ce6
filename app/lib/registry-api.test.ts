import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basicAuthorization, registryErrorText, registryPath } from './registry-api';

test('Basic credentials are base64 of user:password, UTF-8 safe', () => {
  assert.equal(basicAuthorization({ username: 'admin', password: 'p:w' }), `Basic ${Buffer.from('admin:p:w').toString('base64')}`);
  assert.equal(basicAuthorization({ username: 'moby', password: 'pässwörd' }), `Basic ${Buffer.from('moby:pässwörd', 'utf8').toString('base64')}`);
});

test("error text: the registry's DTR-style errors, labdock's {error}, or the status", () => {
  assert.equal(registryErrorText(409, { errors: [{ code: 'ACCOUNT_EXISTS', message: 'account engineering already exists' }] }), 'account engineering already exists');
  assert.equal(registryErrorText(400, { error: 'the console only reads /v2/_catalog and /v2/<repository>/tags/list' }), 'the console only reads /v2/_catalog and /v2/<repository>/tags/list');
  assert.equal(registryErrorText(502, null), 'the registry answered 502');
  assert.equal(registryErrorText(500, { errors: [] }), 'the registry answered 500');
});

test('path segments from user input are encoded, so they cannot add segments', () => {
  assert.equal(registryPath('/api/v0/repositories', 'engineering', 'barca'), '/api/v0/repositories/engineering/barca');
  assert.equal(registryPath('/api/v0/accounts', '../x', 'a b'), '/api/v0/accounts/..%2Fx/a%20b');
});
