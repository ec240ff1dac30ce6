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

test('the console in a real browser: sign in, send a call, read the answer', { skip, timeout: 60_000 }, async () => {
  const page = await reg.api('GET', 'docs/');
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  const browser = await chromium.launch({ executablePath: process.env.LABDOCK_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(`${reg.base}/api/v0/docs/`);
    await tab.getByTestId('api-console-user').fill('admin');
    await tab.getByTestId('api-console-password').fill('admin-password');
    const route = tab.getByTestId('api-route-POST /accounts');
    await route.locator('summary').click();
    await route.getByTestId('api-body').fill(JSON.stringify({ type: 'organization', name: 'engineering' }));
    await route.getByTestId('api-send').click();
    await tab.waitForFunction(() => /^201 /.test(document.querySelector('[data-testid="api-route-POST /accounts"] [data-testid="api-response"]')?.textContent ?? ''));
    const list = tab.getByTestId('api-route-GET /accounts/{name}');
    await list.locator('summary').click();
    await list.getByTestId('api-param-name').fill('engineering');
    await list.getByTestId('api-send').click();
    await tab.waitForFunction(() => /"organization"/.test(document.querySelector('[data-testid="api-route-GET /accounts/{name}"] [data-testid="api-response"]')?.textContent ?? ''));
  } finally {
    await browser.close();
  }
  assert.equal((await reg.api('GET', 'accounts/engineering')).status, 200, 'the console really created it');
});
