/**
 * `npm run bench` — labdock's performance numbers, each against a baseline run
 * in the same process (not a test: it asserts nothing, it reports).
 *
 *  1. Session start: POST /api/sessions for the 2-node Docker lab until a shell
 *     prompt arrives over the WebSocket, vs the same nodes created and a shell
 *     opened directly through the docker provisioner.
 *  2. Keystroke echo: a key sent through the WebSocket until its echo comes back,
 *     vs the same through a direct `docker exec` TTY.
 *  3. Node start: `docker run` of a node until `docker version` answers in it.
 *  4. `docker pull alpine:3.6` in a node through the hub mirror, vs pulling the
 *     same image from the same registry by its own name (no mirror logic).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { isolationOrNone } from '../runtime/engine/engine-isolation';
import WebSocket from 'ws';
import { loadConfig } from '../runtime/config/config';
import { startServer } from '../runtime/server';
import { createDockerProvisioner } from '../runtime/provisioner/docker/docker-provisioner';
import { ensureImages } from '../runtime/images/ensure-images';
import { ensureHub } from '../runtime/hub/ensure-hub';
import type { Terminal } from '../runtime/provisioner/provisioner';
import { percentile, summary } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const KEYS = Number(process.env.BENCH_KEYS ?? 200);
const PROMPT = /[#$] $/;

const dataDir = mkdtempSync(path.join(tmpdir(), 'labdock-bench-'));
const config = loadConfig({ ...process.env, LABDOCK_SERVER_PORT: '0', LABDOCK_SERVER_HOST: '127.0.0.1', LABDOCK_DATA_DIR: dataDir });
const server = await startServer(config, { log: () => undefined });
const docker = new Docker();
const isolation = await isolationOrNone(docker);
const tags = await ensureImages(docker, { names: ['node', 'hub'] });
const hub = await ensureHub(docker, tags.hub);
const direct = createDockerProvisioner({
  docker, resolveImage: (n) => (tags as Record<string, string>)[n], isolation, instance: 'bench-direct',
  attach: [{ container: hub.container, alias: hub.alias }], nodeEnv: { LABDOCK_REGISTRY_MIRROR: hub.mirror },
});

type Created = { id: string; token: string };

async function post(url: string, body: unknown, token?: string): Promise<Created> {
  const res = await fetch(`${server.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Created>;
}

function openWs(s: Created, node: string): Promise<{ ws: WebSocket; next(re: RegExp): Promise<void>; clear(): void }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/terminal?session=${s.id}&node=${node}`, { headers: { authorization: `Bearer ${s.token}` } });
  let text = '';
  let waiter: { re: RegExp; resolve(): void } | null = null;
  ws.on('message', (d, binary) => {
    if (!binary) return;
    text += d.toString();
    if (waiter && waiter.re.test(text)) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => resolve({
      ws,
      clear: () => (text = ''),
      next: (re) => (re.test(text) ? Promise.resolve() : new Promise<void>((r) => (waiter = { re, resolve: r }))),
    }));
  });
}

function directScreen(term: Terminal) {
  let text = '';
  let waiter: { re: RegExp; resolve(): void } | null = null;
  term.onData((d) => {
    text += Buffer.from(d).toString();
    if (waiter && waiter.re.test(text)) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  return {
    clear: () => (text = ''),
    next: (re: RegExp) => (re.test(text) ? Promise.resolve() : new Promise<void>((r) => (waiter = { re, resolve: r }))),
  };
}

async function echoLatency(send: (s: string) => void, screen: { clear(): void; next(re: RegExp): Promise<void> }): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    const key = i % 2 === 0 ? 'x' : '\x7f';
    screen.clear();
    const t = performance.now();
    send(key);
    await screen.next(key === 'x' ? /x/ : /\x08/);
    samples.push(performance.now() - t);
  }
  return samples;
}

const apiStart: number[] = [];
const directStart: number[] = [];
let wsEcho: number[] = [];
let execEcho: number[] = [];
const nodeReady: number[] = [];
const mirrorPull: number[] = [];
const registryPull: number[] = [];

/** Milliseconds a command takes inside a node, measured in the node (no exec overhead). */
async function timedInNode(id: string, node: string, command: string): Promise<number> {
  const r = await direct.exec(id, node, `s=$(date +%s%N); ${command} >/dev/null 2>&1 || exit 99; e=$(date +%s%N); echo $(( (e - s) / 1000 ))`, { timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new Error(`${command} failed in the node: ${r.output}`);
  return Number(r.output.trim()) / 1000;
}

try {
  for (let run = 0; run < RUNS; run++) {
    // Through labdock: API → provisioner → WebSocket prompt.
    let t = performance.now();
    const s = await post('/api/sessions', { lab: 'two-nodes', wait: true });
    const term = await openWs(s, 'manager1');
    await term.next(PROMPT);
    apiStart.push(performance.now() - t);
    if (run === 0) {
      await new Promise((r) => setTimeout(r, 300));
      wsEcho = await echoLatency((k) => term.ws.send(Buffer.from(k)), term);
    }
    term.ws.close();
    await fetch(`${server.url}/api/sessions/${s.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });

    // Baseline: the same two nodes and a shell, straight through the provisioner.
    const id = `bench${run}${Date.now().toString(36)}`;
    t = performance.now();
    await direct.createSession(id);
    await Promise.all(['manager1', 'worker1'].map((n) => direct.createNode(id, { name: n, hostname: n, image: 'node' })));
    const shell = await direct.openTerminal(id, 'manager1', { cols: 80, rows: 24 });
    const screen = directScreen(shell);
    await screen.next(PROMPT);
    directStart.push(performance.now() - t);
    if (run === 0) {
      await new Promise((r) => setTimeout(r, 300));
      execEcho = await echoLatency((k) => shell.write(k), screen);
    }
    shell.close();
    mirrorPull.push(await timedInNode(id, 'worker1', 'docker pull -q alpine:3.6'));
    registryPull.push(await timedInNode(id, 'manager1', `docker pull -q ${hub.mirror}/library/alpine:3.6`));
    await direct.destroySession(id);

    // Node start alone: docker run → dockerd answers inside.
    const nid = `benchn${run}${Date.now().toString(36)}`;
    await direct.createSession(nid);
    t = performance.now();
    await direct.createNode(nid, { name: 'node1', hostname: 'node1', image: 'node' });
    nodeReady.push(performance.now() - t);
    await direct.destroySession(nid);
    process.stdout.write(`run ${run + 1}/${RUNS}: API ${apiStart.at(-1)!.toFixed(0)} ms, direct ${directStart.at(-1)!.toFixed(0)} ms\n`);
  }
} finally {
  await server.close();
  for (const id of await direct.listSessions()) await direct.destroySession(id);
  rmSync(dataDir, { recursive: true, force: true });
}

const ratio = (a: number[], b: number[], p: number) => (percentile(a, p) / percentile(b, p)).toFixed(2);
console.log('\nSession start, 2-node Docker lab, POST /api/sessions → shell prompt over WebSocket');
console.log(`  labdock API : ${summary(apiStart)}`);
console.log(`  direct      : ${summary(directStart)}  (provisioner createNode ×2 + docker exec shell)`);
console.log(`  ratio p50   : ${ratio(apiStart, directStart, 50)}×   target: ≤ 3000 ms p50 absolute`);
console.log('\nKeystroke echo latency');
console.log(`  WebSocket   : ${summary(wsEcho)}`);
console.log(`  docker exec : ${summary(execEcho)}`);
console.log(`  overhead    : p50 ${(percentile(wsEcho, 50) - percentile(execEcho, 50)).toFixed(2)} ms, p99 ${(percentile(wsEcho, 99) - percentile(execEcho, 99)).toFixed(2)} ms; ratio p50 ${ratio(wsEcho, execEcho, 50)}×   target: ≤ 2 ms p50 overhead`);
console.log('\nNode start: docker run → `docker version` answers inside (DinD, overlay2 on a volume)');
console.log(`  node ready  : ${summary(nodeReady)}   target: ≤ 1000 ms p50`);
console.log('\ndocker pull alpine:3.6 in a node, from the hub mirror on the same engine');
console.log(`  via mirror  : ${summary(mirrorPull)}   target: ≤ 1000 ms`);
console.log(`  by name     : ${summary(registryPull)}  (same registry, pulled as ${hub.mirror}/library/alpine:3.6)`);
console.log(`  ratio p50   : ${ratio(mirrorPull, registryPull, 50)}×`);
process.exit(0);
