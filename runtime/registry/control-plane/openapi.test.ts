/**
 * The API document and console against a real registry: every declared
 * route is in the document and answered by its handler (none falls through to "no API endpoint"),
 * request bodies in the document are the handlers' own schemas, and the
 * console works in a real browser.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { chromium } from 'playwright';
import { startTestRegistry } from './test-registry';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable';

let reg: Awaited<ReturnType<typeof startTestRegistry>>;

before(async () => {
  if (skip) return;
  reg = await startTestRegistry(docker);
}, { timeout: 600_000 });

after(async () => {
  await reg?.stop();
});

test('the document is public, lists every route, and carries the request schemas', { skip }, async () => {
  const res = await fetch(`${reg.base}/api/v0/docs/openapi.json`);
  assert.equal(res.status, 200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
  assert.equal(doc.openapi, '3.1.0');
  for (const r of reg.apiRoutes) assert.ok(doc.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`);
  const create = doc.paths['/repositories/{namespace}'].post.requestBody!.content['application/json'].schema;
  assert.deepEqual(Object.keys(create.properties).sort(), ['immutableTags', 'longDescription', 'name', 'scanOnPush', 'shortDescription', 'tagLimit', 'visibility']);
});

test('every documented route is answered by its handler', { skip }, async () => {
  for (const r of reg.apiRoutes) {
    const res = await reg.api(r.method, r.path.slice(1).replace(/\{\w+\}/g, 'nosuch'), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
    const text = await res.text();
    assert.ok(!/no API endpoint/.test(text), `${r.method} ${r.path}: ${res.status} ${text}`);
    assert.ok(res.status < 500, `${r.method} ${r.path}: ${res.status} ${text}`);
  }
});

test('the console (Swagger UI, served offline) in a real browser under its CSP: authorize, try a call, read the answer', { skip, timeout: 90_000 }, async () => {
  const page = await reg.api('GET', 'docs/');
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal((await reg.api('GET', 'docs/swagger-ui-bundle.js')).status, 200);
  const browser = await chromium.launch({ executablePath: process.env.LABDOCK_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const violations: string[] = [];
  const outside: string[] = [];
  try {
    const tab = await browser.newPage();
    tab.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && violations.push(m.text()));
    tab.on('request', (r) => !r.url().startsWith(reg.base) && !r.url().startsWith('data:') && outside.push(r.url()));
    await tab.goto(`${reg.base}/api/v0/docs/`);
    await tab.locator('.btn.authorize').first().click();
    const modal = tab.locator('.modal-ux');
    await modal.locator('input[type=text]').first().fill('admin');
    await modal.locator('input[type=password]').first().fill('admin-password');
    await modal.locator('button.authorize').first().click();
    await modal.locator('button.btn-done, button.close-modal').first().click();
    const create = tab.locator('#operations-accounts-post_accounts');
    await create.locator('.opblock-summary').click();
    await create.locator('textarea.body-param__text').fill(JSON.stringify({ type: 'organization', name: 'engineering' }));
    await create.locator('button.execute').click();
    await create.locator('.live-responses-table .response-col_status', { hasText: '201' }).waitFor();
  } finally {
    await browser.close();
  }
  assert.deepEqual(violations, [], 'no CSP violations');
  assert.deepEqual(outside, [], 'nothing fetched from anywhere else');
  assert.equal((await reg.api('GET', 'accounts/engineering')).status, 200, 'the console really created it');
});
