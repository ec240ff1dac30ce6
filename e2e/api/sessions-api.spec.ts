/**
 * The automation API and the terminal WebSocket, against the real server:
 * bodies are validated, tokens are required, sessions cannot see each other,
 * origins are checked.
 */
import { test, expect, request as requestFactory, type APIRequestContext } from '@playwright/test';
import WebSocket from 'ws';

type Created = { id: string; token: string; nodes: { name: string; hostname: string }[]; status: string };

async function createSession(request: APIRequestContext, lab = 'intro'): Promise<Created> {
  const res = await request.post('/api/sessions', { data: { lab } });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

const auth = (s: Created) => ({ authorization: `Bearer ${s.token}` });

function openTerminal(baseURL: string, s: Created, node: string, headers: Record<string, string>) {
  const url = `${baseURL.replace(/^http/, 'ws')}/ws/terminal?session=${s.id}&node=${node}`;
  return new WebSocket(url, { headers });
}

test.describe('sessions API', () => {
  const created: Created[] = [];
  test.afterAll(async ({ request }) => {
    for (const s of created) await request.delete(`/api/sessions/${s.id}`, { headers: auth(s) });
  });

  test('health and catalog', async ({ request }) => {
    const health = await request.get('/api/health');
    expect(health.ok()).toBeTruthy();
    expect((await health.json()).engine.local).toBe(true);
    const labs = await (await request.get('/api/labs')).json();
    expect(labs.map((l: { id: string }) => l.id)).toContain('intro');
  });

  test('bad bodies get 400/415 with a message, unknown labs 404', async ({ request }) => {
    const notJson = await request.post('/api/sessions', { data: 'lab=intro', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status()).toBe(415);
    const broken = await request.post('/api/sessions', { data: Buffer.from('{"lab":'), headers: { 'content-type': 'application/json' } });
    expect(broken.status()).toBe(400);
    expect((await broken.json()).error).toMatch(/not valid JSON/);
    const missing = await request.post('/api/sessions', { data: {} });
    expect(missing.status()).toBe(400);
    expect((await missing.json()).error).toMatch(/lab/);
    const extra = await request.post('/api/sessions', { data: { lab: 'intro', evil: true } });
    expect(extra.status()).toBe(400);
    const unknown = await request.post('/api/sessions', { data: { lab: 'no-such-lab' } });
    expect(unknown.status()).toBe(404);
  });

  test('a session: exec, check fails then passes after solve, isolation, end', async ({ request }) => {
    const a = await createSession(request);
    const b = await createSession(request);
    created.push(a, b);
    expect(a.status).toBe('ready');
    expect(a.token.length).toBeGreaterThanOrEqual(43);

    // No token, or another session's token: 404, never data. (A fresh context: no cookies from the POSTs.)
    const stranger = await requestFactory.newContext({ baseURL: test.info().project.use.baseURL });
    expect((await stranger.get(`/api/sessions/${a.id}`)).status()).toBe(404);
    expect((await stranger.post(`/api/sessions/${a.id}/exec`, { data: { node: 'node1', command: 'id' } })).status()).toBe(404);
    await stranger.dispose();
    expect((await request.get(`/api/sessions/${a.id}`, { headers: auth(b) })).status()).toBe(404);
    expect((await request.post(`/api/sessions/${a.id}/exec`, { headers: auth(b), data: { node: 'node1', command: 'id' } })).status()).toBe(404);
    const view = await (await request.get(`/api/sessions/${a.id}`, { headers: auth(a) })).json();
    expect(view.token).toBeUndefined();
    expect(view.nodes).toEqual([{ name: 'node1', hostname: 'node1' }]);

    const exec = await request.post(`/api/sessions/${a.id}/exec`, { headers: auth(a), data: { node: 'node1', command: 'hostname; echo secret-a > ~/only-a' } });
    expect(await exec.json()).toEqual({ exitCode: 0, output: 'node1\n' });
    // b's node does not see a's files.
    const peek = await request.post(`/api/sessions/${b.id}/exec`, { headers: auth(b), data: { node: 'node1', command: 'cat ~/only-a' } });
    expect((await peek.json()).exitCode).not.toBe(0);
    const badNode = await request.post(`/api/sessions/${a.id}/exec`, { headers: auth(a), data: { node: 'nope', command: 'true' } });
    expect(badNode.status()).toBe(404);

    // Regression protocol on every step of the intro lab: check fails → solve → check passes.
    const intro = await (await request.get('/api/labs/intro')).json();
    expect(intro.steps.length).toBeGreaterThan(2);
    for (const step of intro.steps.filter((st: { hasCheck: boolean }) => st.hasCheck)) {
      const url = `/api/sessions/${a.id}/steps/${step.id}`;
      const before = await (await request.post(`${url}/check`, { headers: auth(a) })).json();
      expect(before.passed, `step ${step.id} must fail before it is solved`).toBe(false);
      expect(before.message.length).toBeGreaterThan(0);
      expect((await (await request.post(`${url}/solve`, { headers: auth(a) })).json()).passed).toBe(true);
      const after = await (await request.post(`${url}/check`, { headers: auth(a) })).json();
      expect(after, `step ${step.id} must pass after its solve`).toEqual({ passed: true, message: 'Done.' });
    }
    const progress = await (await request.get(`/api/sessions/${a.id}`, { headers: auth(a) })).json();
    expect(progress.steps.every((st: { passed: boolean }) => st.passed)).toBe(true);

    // End: resources go, the session reports ended, exec is refused.
    expect((await request.delete(`/api/sessions/${a.id}`, { headers: auth(a) })).status()).toBe(204);
    const after = await (await request.get(`/api/sessions/${a.id}`, { headers: auth(a) })).json();
    expect(after.status).toBe('ended');
    expect((await request.post(`/api/sessions/${a.id}/exec`, { headers: auth(a), data: { node: 'node1', command: 'true' } })).status()).toBe(409);
  });

  test('terminal WebSocket: token required, origin checked, bytes flow', async ({ request, baseURL }) => {
    const s = await createSession(request);
    created.push(s);
    const base = baseURL!;

    const noToken = openTerminal(base, s, 'node1', { origin: base });
    const closed = await new Promise<number>((resolve) => noToken.on('close', (code) => resolve(code)));
    expect(closed).toBe(4401);

    const evil = openTerminal(base, s, 'node1', { origin: 'http://evil.example', cookie: `labdock_token_${s.id}=${s.token}` });
    const status = await new Promise<number>((resolve) => {
      evil.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      evil.on('open', () => resolve(101));
    });
    expect(status).toBe(403);

    const ws = openTerminal(base, s, 'node1', auth(s));
    let out = '';
    ws.on('message', (data, binary) => {
      if (binary) out += data.toString();
    });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    ws.send(Buffer.from('echo $((6*7))-from-ws\r'));
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/42-from-ws/);
    ws.close();
  });
});
