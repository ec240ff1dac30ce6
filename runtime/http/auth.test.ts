import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newToken, tokenMatches, presentedToken, originAllowed, sessionCookie } from './auth';

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

test('tokens are random, stored hashed, and only their own hash matches', () => {
  const a = newToken();
  const b = newToken();
  assert.notEqual(a.token, b.token);
  assert.ok(a.token.length >= 43);
  assert.ok(tokenMatches(a.token, a.hash));
  assert.ok(!tokenMatches(b.token, a.hash));
  assert.ok(!tokenMatches(null, a.hash));
  assert.ok(!tokenMatches('', a.hash));
});

test('bearer header wins over cookie; cookie is found by session id', () => {
  assert.deepEqual(presentedToken(headers({ authorization: 'Bearer abc', cookie: 'labdock_token_s1=zzz' }), 's1'), { token: 'abc', via: 'bearer' });
  assert.deepEqual(presentedToken(headers({ cookie: 'x=1; labdock_token_s1=zzz; labdock_token_s2=yyy' }), 's1'), { token: 'zzz', via: 'cookie' });
  assert.equal(presentedToken(headers({ cookie: 'labdock_token_s2=yyy' }), 's1'), null);
  assert.equal(presentedToken(headers({ authorization: 'Basic abc' }), 's1'), null);
});

test('origin must be the app itself or explicitly allowed', () => {
  assert.ok(originAllowed('http://localhost:3000', 'localhost:3000', []));
  assert.ok(!originAllowed('http://evil.example', 'localhost:3000', []));
  assert.ok(originAllowed('https://lab.example', 'internal:3000', ['https://lab.example']));
  assert.ok(!originAllowed(undefined, 'localhost:3000', []));
  assert.ok(!originAllowed('null', 'localhost:3000', []));
});

test('cookie is HttpOnly and SameSite=Strict', () => {
  const c = sessionCookie('s1', 'tok', 60, false);
  assert.match(c, /^labdock_token_s1=tok; Path=\/; HttpOnly; SameSite=Strict; Max-Age=60$/);
  assert.match(sessionCookie('s1', 'tok', 60, true), /; Secure$/);
});
