/**
 * The registry console's proxy route against a real server and registry
 * session: the session token is required, other sessions and cross-origin
 * cookie writes are refused, only the allow-list is forwarded, and the
 * registry's 401 never carries WWW-Authenticate to the browser.
 */
import { test, expect } from '@playwright/test';
import { endSession, startLab } from './helpers';
import { sessionOf } from './registry-console-helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('registry proxy route: session token required, other sessions and cross-origin writes refused, allow-list enforced', async ({ page, request }) => {
  await startLab(page, 'registry-basics');
  const s = await sessionOf(page);
  const base = `/api/sessions/${s.id}/registry`;
  const view = await (await request.get(`/api/sessions/${s.id}`, { headers: s.headers })).json();
  const admin = { 'x-registry-authorization': `Basic ${Buffer.from(`admin:${view.registry.password}`).toString('base64')}` };

  // No session token: 404, as for every session route.
  expect((await request.get(`${base}/api/v0/repositories`, { headers: admin })).status()).toBe(404);
  // The session token without registry credentials: the registry's own 401, without WWW-Authenticate.
  const anonymous = await request.get(`${base}/api/v0/repositories`, { headers: s.headers });
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['www-authenticate']).toBeUndefined();
  const ok = await request.get(`${base}/api/v0/repositories`, { headers: { ...s.headers, ...admin } });
  expect(ok.status(), await ok.text()).toBe(200);
  expect(await ok.json()).toHaveProperty('repositories');
  expect((await request.get(`${base}/v2/_catalog`, { headers: { ...s.headers, ...admin } })).status()).toBe(200);

  // Outside the allow-list: 400 with the reason, whatever the credentials.
  const push = await request.put(`${base}/v2/admin/alpine/manifests/1`, { headers: { ...s.headers, ...admin }, data: {} });
  expect(push.status()).toBe(400);
  expect((await push.json()).error).toMatch(/only reads/);
  expect((await request.get(`${base}/auth/token`, { headers: { ...s.headers, ...admin } })).status()).toBe(400);

  // Cookie-authenticated writes from another origin are refused before reaching the registry.
  const cookie = `labdock_token_${s.id}=${s.headers.authorization.slice('Bearer '.length)}`;
  const cross = await request.post(`${base}/api/v0/accounts`, {
    headers: { cookie, origin: 'https://evil.example', ...admin },
    data: { type: 'organization', name: 'evil' },
  });
  expect(cross.status()).toBe(403);

  // Another session (no registry) with its own token: 404; this session's token on the other id: 404.
  const other = await request.post('/api/sessions', { data: { lab: 'intro' } });
  expect(other.status()).toBe(201);
  const o = await other.json();
  try {
    const none = await request.get(`/api/sessions/${o.id}/registry/api/v0/repositories`, { headers: { authorization: `Bearer ${o.token}`, ...admin } });
    expect(none.status()).toBe(404);
    expect((await none.json()).error).toMatch(/no registry/);
    expect((await request.get(`/api/sessions/${o.id}/registry/api/v0/repositories`, { headers: { ...s.headers, ...admin } })).status()).toBe(404);
  } finally {
    await request.delete(`/api/sessions/${o.id}`, { headers: { authorization: `Bearer ${o.token}` } });
  }
  const accounts = await (await request.get(`${base}/api/v0/accounts`, { headers: { ...s.headers, ...admin } })).json();
  expect(accounts.accounts.map((a: { name: string }) => a.name)).not.toContain('evil');
});
