/**
 * `npm run bench:soak` — the server held under load for minutes (issue #11):
 * many sessions, each with a terminal typing and checks running, against the
 * real server in a child process. Reports sessions held, echo and check
 * latency (p50/p99), server RSS and descriptors at start and end, and errors.
 * Not a test and not in CI: it asserts nothing, it reports.
 *
 *   npm run bench:soak                                     # 12 intro sessions, 3 minutes
 *   SOAK_SESSIONS=6 SOAK_MINUTES=5 SOAK_LAB=two-nodes SOAK_STEP=<step id> npm run bench:soak
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startServerProcess } from '../runtime/hardening/server-under-test';
import { percentile } from './stats';

const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 12);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 3);
const LAB = process.env.SOAK_LAB ?? 'intro';
/** A learner types about 3 keys a second and presses Check every ~10 s. */
const TYPE_EVERY_MS = 300;
const CHECK_EVERY_MS = 10_000;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main() {
  const server = await startServerProcess({
    LABDOCK_SERVER_TRUST_PROXY: 'true',
    LABDOCK_LIMITS_LIVE_SESSIONS_PER_CLIENT: String(SESSIONS + 1),
    LABDOCK_LIMITS_CREATIONS_PER_MINUTE: String(SESSIONS * 2),
  });
  const errors: string[] = [];
  const echo: number[] = [];
  const check: number[] = [];
  const sessions: { id: string; token: string }[] = [];
  const sockets: WebSocket[] = [];
  const endAll = async () => {
    for (const s of sessions.splice(0)) await fetch(`${server.url}/api/sessions/${s.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    return server.fds();
  };
  try {
    const lab = (await (await fetch(`${server.url}/api/labs`)).json()) as { id: string; nodes: { name: string }[] }[];
    const meta = lab.find((l) => l.id === LAB);
    if (!meta) throw new Error(`no lab ${LAB}`);
    const node = meta.nodes[0].name;
    const started = Date.now();
    for (let i = 0; i < SESSIONS; i++) {
      const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.7' }, body: JSON.stringify({ lab: LAB }) });
      if (res.status !== 201) {
        errors.push(`create ${i}: ${res.status} ${await res.text()}`);
        continue;
      }
      sessions.push((await res.json()) as { id: string; token: string });
    }
    console.log(`${sessions.length} ${LAB} sessions up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const step = process.env.SOAK_STEP ?? 'terminal';
    const start = { rss: rssMb(server.pid), fds: server.fds() };
    const until = Date.now() + MINUTES * 60_000;

    await Promise.all(sessions.map(async (s, n) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/terminal?session=${s.id}&node=${node}`, { headers: { authorization: `Bearer ${s.token}` } });
      sockets.push(ws);
      let output = '';
      let waiting: { marker: string; at: number; done: () => void } | null = null;
      ws.on('message', (data, binary) => {
        if (!binary) return;
        output = (output + data.toString()).slice(-4096);
        if (waiting && output.includes(waiting.marker)) {
          echo.push(performance.now() - waiting.at);
          output = '';
          waiting.done();
          waiting = null;
        }
      });
      ws.on('error', (e) => errors.push(`ws ${s.id}: ${e.message}`));
      await new Promise((r) => ws.once('open', r));
      let k = 0;
      let nextCheck = Date.now() + (n * CHECK_EVERY_MS) / SESSIONS;
      while (Date.now() < until) {
        // A unique marker typed as the argument of `:` is echoed back by the shell's line editor.
        const marker = `k${n}x${k++}`;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => (errors.push(`echo timeout ${s.id}`), (waiting = null), resolve()), 10_000);
          waiting = { marker, at: performance.now(), done: () => (clearTimeout(timer), resolve()) };
          ws.send(Buffer.from(`: ${marker}\r`), { binary: true });
        });
        if (Date.now() >= nextCheck) {
          nextCheck += CHECK_EVERY_MS;
          const t0 = performance.now();
          const res = await fetch(`${server.url}/api/sessions/${s.id}/steps/${step}/check`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` } });
          if (res.status !== 200) errors.push(`check ${s.id}: ${res.status}`);
          await res.text();
          check.push(performance.now() - t0);
        }
        await new Promise((r) => setTimeout(r, TYPE_EVERY_MS));
      }
    }));
    for (const ws of sockets) ws.close();
    await new Promise((r) => setTimeout(r, 2000));
    const end = { rss: rssMb(server.pid), fds: server.fds() };
    const health = (await fetch(`${server.url}/api/health`)).status;
    console.log([
      `soak: ${sessions.length} sessions of ${LAB} for ${MINUTES} min, one terminal each typing every ${TYPE_EVERY_MS} ms, a check every ${CHECK_EVERY_MS / 1000} s`,
      `echo   p50 ${percentile(echo, 50).toFixed(1)} ms, p99 ${percentile(echo, 99).toFixed(1)} ms (n=${echo.length})`,
      `check  p50 ${percentile(check, 50).toFixed(1)} ms, p99 ${percentile(check, 99).toFixed(1)} ms (n=${check.length})`,
      `server RSS ${start.rss.toFixed(0)} → ${end.rss.toFixed(0)} MiB, descriptors ${start.fds} → ${end.fds} (sockets closed), health ${health}`,
      `(the shells stay open for reconnects while their sessions live; descriptors once every session is ended: ${await endAll()})`,
      `errors ${errors.length}${errors.length ? `: ${errors.slice(0, 5).join('; ')}` : ''}`,
      `uncaught exceptions in the server log: ${(server.log().match(/LABDOCK-UNCAUGHT|LABDOCK-UNHANDLED/g) ?? []).length}`,
    ].join('\n'));
  } finally {
    await endAll();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
