import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newToken, tokenMatches, presentedToken, originAllowed, publicOriginsFor, sessionCookie } from './auth';

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

test('origin must be one of the public origins; the Host header is never trusted', () => {
  const local = publicOriginsFor([], 3000);
  assert.ok(originAllowed('http://localhost:3000', local));
  assert.ok(originAllowed('http://127.0.0.1:3000', local));
  assert.ok(!originAllowed('http://evil.example', local));
  assert.ok(!originAllowed('http://localhost:3001', local));
  // Issue #11 item 9: a client that sends Host: evil.example and Origin: http://evil.example agrees with itself only.
  const configured = publicOriginsFor(['https://lab.example/'], 3000);
  assert.ok(originAllowed('https://lab.example', configured));
  assert.ok(!originAllowed('http://localhost:3000', configured));
  assert.ok(!originAllowed(undefined, local));
  assert.ok(!originAllowed('null', local));
  assert.ok(!originAllowed('javascript:alert(1)', local));
});

test('malformed percent-encoding in the cookie is no token, never a URIError (issue #11 item 2/4)', () => {
  assert.equal(presentedToken(headers({ cookie: 'labdock_token_s1=%E0%A4%A' }), 's1'), null);
  assert.deepEqual(presentedToken(headers({ cookie: 'labdock_token_s1=a%2Bb' }), 's1'), { token: 'a+b', via: 'cookie' });
});

test('cookie is HttpOnly and SameSite=Strict', () => {
  const c = sessionCookie('s1', 'tok', 60, false);
  assert.match(c, /^labdock_token_s1=tok; Path=\/; HttpOnly; SameSite=Strict; Max-Age=60$/);
  assert.match(sessionCookie('s1', 'tok', 60, true), /; Secure$/);
});
