/**
 * `tsx bench/workshops.ts` — workshop join numbers against a real server
 * (not a test: it reports). BENCH_LAB (default intro: local sandboxes; a
 * Docker lab such as two-nodes costs real containers), BENCH_CLAIMS (10),
 * BENCH_STORM (30), BENCH_POOL (warm sessions, default 10).
 *
 *  1. Claim from a warm pool: POST /api/workshops/join until the join answers,
 *     and until a shell prompt arrives over the WebSocket — one attendee at a time.
 *  2. Join storm: BENCH_STORM attendees at once, BENCH_POOL of them served warm,
 *     the rest cold: time until every one has a prompt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { loadConfig } from '../runtime/config/config';
import { startServer } from '../runtime/server';
import { openDatabase } from '../runtime/db/open-database';
import { percentile, summary } from './stats';

const LAB = process.env.BENCH_LAB ?? 'intro';
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 10);
const STORM = Number(process.env.BENCH_STORM ?? 30);
const POOL = Number(process.env.BENCH_POOL ?? 10);
const PROMPT = /[#$] $/;
const ADMIN = { email: 'bench@labdock.test', password: 'bench-admin-password' };

const dataDir = mkdtempSync(path.join(tmpdir(), 'labdock-bench-ws-'));
process.env.LABDOCK_ADMIN_EMAIL = ADMIN.email;
process.env.LABDOCK_ADMIN_PASSWORD = ADMIN.password;
const config = loadConfig({
  ...process.env, LABDOCK_SERVER_PORT: '0', LABDOCK_SERVER_HOST: '127.0.0.1', LABDOCK_DATA_DIR: dataDir,
  LABDOCK_WORKSHOPS_POOL_MAX: String(POOL), LABDOCK_WORKSHOPS_POOL_TICK_SECONDS: '1', LABDOCK_SESSIONS_MAX_LIVE: String(STORM + CLAIMS + POOL + 10),
});
const server = await startServer(config, { log: () => undefined });
const { services } = server;
const origin = server.url;

const signIn = await fetch(`${origin}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(ADMIN) });
const authCookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
const lab = await services.labs.get(LAB);
const node = lab!.meta.nodes[0].name;

async function api(url: string, body: unknown, method = 'POST') {
  const res = await fetch(`${origin}${url}`, { method, headers: { 'content-type': 'application/json', origin, cookie: authCookie }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function workshop(seats: number) {
  const w = await api('/api/workshops', { name: `bench ${seats}`, labs: [LAB], seats, opensAt: new Date(Date.now() - 60_000), closesAt: new Date(Date.now() + 3600_000), sessionMinutes: 60 });
  await api(`/api/workshops/${w.id}/pool`, {});
  // Wait until the pool holds its target and every warm session is up.
  const target = Math.min(seats, POOL);
  for (;;) {
    const s = await services.workshops.pool.status(w.id);
    if (s.warm >= target || s.refusedReason) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await services.sessions.settle();
  return w as { id: string; joinCode: string };
}

/** Join, then wait for the session to be ready and a prompt over the WebSocket. */
async function joinToPrompt(code: string, name: string): Promise<{ answered: number; prompt: number; origin: string; id: string }> {
  const t0 = performance.now();
  const res = await fetch(`${origin}/api/workshops/join`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ code, displayName: name }) });
  // The host is full (the capacity model refused): a result of the storm, not a failure of the bench.
  if (res.status === 503) return { answered: performance.now() - t0, prompt: NaN, origin: 'refused', id: '' };
  if (!res.ok) throw new Error(`join ${name}: ${res.status} ${await res.text()}`);
  const body = await res.json() as { sessionId: string; origin: string };
  const answered = performance.now() - t0;
  const token = /labdock_token_[a-f0-9]+=([^;]+)/.exec(res.headers.getSetCookie().join('\n'))![1];
  for (;;) {
    const v = await services.sessions.view(body.sessionId);
    if (v?.status === 'ready') break;
    if (v?.status === 'failed') throw new Error(`session ${body.sessionId} failed: ${v.error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws/terminal?session=${body.sessionId}&node=${node}`, { headers: { authorization: `Bearer ${decodeURIComponent(token)}`, origin } });
    let text = '';
    ws.on('message', (d, binary) => {
      if (!binary) return;
      text += d.toString();
      if (PROMPT.test(text)) {
        ws.close();
        resolve();
      }
    });
    ws.on('error', reject);
  });
  return { answered, prompt: performance.now() - t0, origin: body.origin, id: body.sessionId };
}

const started: string[] = [];
try {
  const a = await workshop(CLAIMS);
  const answered: number[] = [];
  const prompt: number[] = [];
  for (let i = 0; i < CLAIMS; i++) {
    const r = await joinToPrompt(a.joinCode, `claim${i}`);
    started.push(r.id);
    if (r.origin !== 'pool') continue;
    answered.push(r.answered);
    prompt.push(r.prompt);
  }
  console.log(`\nClaim from a warm pool, lab ${LAB} (one attendee at a time)`);
  console.log(`  join answered : ${summary(answered)}`);
  console.log(`  ready prompt  : ${summary(prompt)}`);

  const b = await workshop(STORM);
  const t0 = performance.now();
  const storm = await Promise.all(Array.from({ length: STORM }, (_, i) => joinToPrompt(b.joinCode, `storm${i}`)));
  const all = performance.now() - t0;
  started.push(...storm.filter((r) => r.id).map((r) => r.id));
  const warm = storm.filter((r) => r.origin === 'pool');
  const cold = storm.filter((r) => r.origin === 'cold');
  const refused = storm.filter((r) => r.origin === 'refused');
  console.log(`\nJoin storm, lab ${LAB}: ${STORM} attendees at once, ${warm.length} from the pool, ${cold.length} cold, ${refused.length} refused (server full)`);
  console.log(`  all admitted at a prompt after ${(all / 1000).toFixed(2)} s`);
  console.log(`  warm: ${summary(warm.map((r) => r.prompt))}`);
  console.log(`  cold: ${summary(cold.map((r) => r.prompt))}`);
  if (refused.length) console.log(`  refused answered in: ${summary(refused.map((r) => r.answered))}`);
  console.log(`  p50 of all admitted ${percentile([...warm, ...cold].map((r) => r.prompt), 50).toFixed(0)} ms`);
} finally {
  const rows = await services.workshops.list({ id: '', role: 'admin' });
  for (const w of rows) await services.workshops.update(w.id, { name: w.name, labs: JSON.parse(w.labIds), seats: Math.max(w.seats, STORM), opensAt: new Date(Date.now() - 7200_000), closesAt: new Date(Date.now() - 1000), sessionMinutes: 60, mayExtend: false, allowEmails: [], allowDomain: null, askEmail: false, poolLeadMinutes: 10 });
  // A pass in flight may still be refilling: let it finish, then close everything this bench's database knows.
  await services.workshops.pool.settle();
  await services.workshops.pool.tick();
  await services.sessions.settle();
  const db = await openDatabase(config.databaseUrl);
  const live = await db.session.findMany({ where: { status: { in: ['starting', 'ready'] } }, select: { id: true } });
  await db.$disconnect();
  for (const id of new Set([...started, ...live.map((s) => s.id)])) await services.sessions.end(id, 'bench done').catch(() => undefined);
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
