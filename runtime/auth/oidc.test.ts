/**
 * OpenID Connect sign-in against a real OpenID provider (node-oidc-provider,
 * started here on loopback): the authorization-code flow with PKCE through
 * its login and consent pages, better-auth's callback, and the instructor
 * session it makes. An identity with no labdock account gets none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Provider from 'oidc-provider';
import { openTestDatabase } from '../db/test-database';
import { loadConfig } from '../config/config';
import { createAuth } from './create-auth';
import { createAccount } from './ensure-admin';
import { instructorOf } from './instructor-of';

const BASE = 'http://labdock.test';

/** A minimal cookie jar: name → value, from Set-Cookie headers. */
function jar() {
  const cookies = new Map<string, string>();
  return {
    take(res: Response) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair.indexOf('=');
        const value = pair.slice(eq + 1);
        if (/max-age=0/i.test(c) || value === '') cookies.delete(pair.slice(0, eq));
        else cookies.set(pair.slice(0, eq), value);
      }
    },
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    get: (name: string) => cookies.get(name),
  };
}

async function setup(t: import('node:test').TestContext) {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'labdock', client_secret: 'labdock-client-secret', redirect_uris: [`${BASE}/api/auth/callback/oidc`],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: `${sub}@example.org`, email_verified: true, name: sub }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  server.on('request', provider.callback());
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-oidc-'));
  const db = await openTestDatabase(t, dir);
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = loadConfig({
    LABDOCK_DATA_DIR: dir, LABDOCK_AUTH_BASE_URL: BASE,
    LABDOCK_AUTH_OIDC_ISSUER: issuer, LABDOCK_AUTH_OIDC_CLIENT_ID: 'labdock', LABDOCK_AUTH_OIDC_CLIENT_SECRET: 'labdock-client-secret',
  });
  const auth = createAuth({ db, secret: 'y'.repeat(40), config, publicOrigins: [BASE] });
  return { auth, db, issuer };
}

/** Signs in as `login` at the provider (its dev login and consent forms); returns better-auth's callback response. */
async function signInThroughProvider(auth: ReturnType<typeof createAuth>, login: string): Promise<{ res: Response; app: ReturnType<typeof jar> }> {
  const app = jar();
  const start = await auth.handler(new Request(`${BASE}/api/auth/sign-in/social`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: BASE }, body: JSON.stringify({ provider: 'oidc', callbackURL: '/instructor' }),
  }));
  assert.equal(start.status, 200, await start.clone().text());
  app.take(start);
  let url = (await start.json() as { url: string }).url;
  assert.match(url, /code_challenge=/, 'PKCE is used');
  const idp = jar();
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(BASE)) {
      const res = await auth.handler(new Request(url, { headers: { cookie: app.header() } }));
      app.take(res);
      return { res, app };
    }
    let res = await fetch(url, { redirect: 'manual', headers: { cookie: idp.header() } });
    idp.take(res);
    if (res.status === 200) {
      // An interaction page: the dev login form, then the consent form.
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      assert.ok(action, `a form on ${url}`);
      const form = new URLSearchParams();
      for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
        const name = /name="([^"]+)"/.exec(m[0])?.[1];
        if (name) form.set(name, /value="([^"]*)"/.exec(m[0])?.[1] ?? '');
      }
      if (/name="login"/.test(html)) {
        form.set('login', login);
        form.set('password', 'anything');
      }
      res = await fetch(new URL(action, url), { method: 'POST', redirect: 'manual', headers: { cookie: idp.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      idp.take(res);
    }
    const next = res.headers.get('location');
    assert.ok(next, `a redirect from ${url} (status ${res.status})`);
    url = new URL(next, url).toString();
  }
  throw new Error('the provider never redirected back');
}

test('an instructor signs in with OpenID Connect and gets a labdock session; an unknown identity gets none', async (t) => {
  const { auth, db } = await setup(t);
  await createAccount(auth, { email: 'ada@example.org', password: 'a long password here', role: 'instructor', name: 'Ada' });

  const { res, app } = await signInThroughProvider(auth, 'ada');
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/instructor');
  const token = app.get('labdock.session_token');
  assert.ok(token, 'a session cookie');
  const who = await instructorOf(auth, new Headers({ cookie: `labdock.session_token=${token}` }));
  assert.deepEqual(who && { email: who.email, role: who.role }, { email: 'ada@example.org', role: 'instructor' });
  assert.equal(await db.account.count({ where: { providerId: 'oidc' } }), 1, 'the identity is linked to the existing account');

  const eve = await signInThroughProvider(auth, 'eve');
  assert.equal(eve.app.get('labdock.session_token'), undefined, 'no session for an identity without an account');
  assert.match(eve.res.headers.get('location') ?? '', /error/);
  assert.equal(await db.user.count({ where: { email: 'eve@example.org' } }), 0, 'and no account was made');
});
