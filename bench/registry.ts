/**
 * Registry throughput (part of `npm run bench`): the control plane in front
 * of Distribution against Distribution itself, in the same run, on the same
 * storage — the cost of authentication, the role table and the proxy.
 *
 *  1. Push of a ~200 MB image (4 incompressible 50 MB layers): control plane vs direct.
 *  2. Pull of the same blobs, streamed and discarded: control plane vs direct.
 *  3. Manifest HEAD latency: p50 through the control plane (Basic and Bearer) minus direct.
 *
 * The headline figures are the control plane in this process, as the
 * targets were set. It is measured a second time in a process of its own
 * (`own process`), as on a registry node, and the CPU time per MB pulled is
 * printed for each way: under the load of a shared 2-core machine the same
 * code measured 0.45–1.36× of direct for pulls and −0.3–4.9 ms of HEAD
 * overhead from run to run, so time alone cannot tell a regression from
 * noise. Every measurement is interleaved (direct, then each way through the
 * control plane, sample by sample) so a change of load hits all ways alike.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import Docker from 'dockerode';
import { assembleImage, MEDIA } from '../runtime/images/fixtures/image-archive';
import { writeTar } from '../runtime/images/fixtures/tar-writer';
import { pushImage } from '../runtime/images/fixtures/push-image';
import { startTestRegistry } from '../runtime/registry/control-plane/test-registry';
import { composeRegistry } from '../runtime/registry/control-plane/compose-registry';
import { BUNDLED_VULNDB } from '../runtime/images/registry-bundle';
import { percentile, summary } from './stats';

const RUNS = Number(process.env.BENCH_REGISTRY_RUNS ?? 3);
const HEADS = Number(process.env.BENCH_HEADS ?? 300);
const LAYER_MB = 50;

if (process.env.BENCH_REGISTRY_CHILD) await serveControlPlane(JSON.parse(process.env.BENCH_REGISTRY_CHILD));
else await bench();

/** The child: a second control plane on the same state and Distribution, listening on loopback; prints its port. */
async function serveControlPlane(config: { dir: string; ip: string; eventsToken: string }) {
  const registry = composeRegistry({
    state: config.dir, storageRoot: path.join(config.dir, 'registry/distribution'), distribution: { host: config.ip, port: 5000 },
    collect: async () => 'not here', eventsToken: config.eventsToken, host: 'dtr.labdock', vulnDbBundled: BUNDLED_VULNDB, print: () => undefined,
  });
  const server = http.createServer((req, res) => void registry.handler(req, res));
  server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as { port: number }).port}`));
  // The parent asks for this process's CPU time around a pull: the proxy's own cost per MB.
  process.on('message', () => process.send!(process.cpuUsage()));
  process.on('disconnect', () => process.exit(0));
}

async function bench() {
  const reg = await startTestRegistry(new Docker());
  const child = spawn(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname], {
    env: { ...process.env, BENCH_REGISTRY_CHILD: JSON.stringify({ dir: reg.dir, ip: reg.ip, eventsToken: 'bench' }) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  try {
    const own = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        const port = /port (\d+)/.exec(c.toString())?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
      child.once('exit', (code) => reject(new Error(`the control plane process exited ${code}`)));
    });
    const direct = `http://${reg.ip}:5000`;
    // Random bytes do not compress: the layers stay ~200 MB on the wire, as a real large image's would.
    const image = assembleImage({
      layers: Array.from({ length: 4 }, (_, i) => writeTar([{ type: 'file', path: `data-${i}`, data: randomBytes(LAYER_MB * 1024 * 1024) }])),
      cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z',
    });
    const bytes = [...image.layers, image.config].reduce((n, b) => n + b.size, 0);
    const mb = bytes / 1024 / 1024;
    console.log(`registry: image of ${mb.toFixed(0)} MB, ${RUNS} runs each way, interleaved; the control plane in this process and in its own`);

    const admin = reg.auth('admin');
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    const pull = async (base: string, repo: string, headers: Record<string, string>) => {
      for (const b of [...image.layers, image.config]) {
        const res = await fetch(`${base}/v2/${repo}/blobs/${b.digest}`, { headers });
        if (!res.ok || !res.body) throw new Error(`pull ${b.digest}: ${res.status}`);
        const reader = res.body.getReader();
        while (!(await reader.read()).done) {
          // discard: only the time to receive the bytes counts
        }
      }
    };

    const childCpu = () => new Promise<NodeJS.CpuUsage>((resolve) => {
      child.once('message', (m) => resolve(m as NodeJS.CpuUsage));
      child.send('cpu');
    });
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    /** CPU milliseconds per MB pulled: this process (the client, and the proxy when in-process) and the control plane's process. */
    const cpuPerMb = { direct: [] as number[], cp: [] as number[], cpChild: [] as number[], 'in-process': [] as number[] };
    const ways = { direct, cp: own, 'in-process': reg.base } as const;
    type Way = keyof typeof ways;
    const auth = (way: Way) => (way === 'direct' ? {} : admin);
    const push = { direct: [] as number[], cp: [] as number[], 'in-process': [] as number[] };
    const pulls = { direct: [] as number[], cp: [] as number[], 'in-process': [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      // A new repository each time: the blobs are uploaded again, not found already linked.
      for (const way of Object.keys(ways) as Way[]) push[way].push(await timed(() => pushImage(ways[way], `admin/${way}${i}`, '1', image, way === 'direct' ? undefined : admin)));
      for (const way of Object.keys(ways) as Way[]) {
        const [here, there] = [process.cpuUsage(), await childCpu()];
        pulls[way].push(await timed(() => pull(ways[way], `admin/${way}${i}`, auth(way))));
        cpuPerMb[way].push(ms(process.cpuUsage(here)) / mb);
        if (way === 'cp') cpuPerMb.cpChild.push((ms(await childCpu()) - ms(there)) / mb);
      }
    }
    const rate = (ms: number[]) => mb / (percentile(ms, 50) / 1000);
    for (const [what, m] of [['push', push], ['pull', pulls]] as const) {
      console.log(`registry ${what}: control plane ${rate(m['in-process']).toFixed(0)} MB/s, direct ${rate(m.direct).toFixed(0)} MB/s → ${(rate(m['in-process']) / rate(m.direct)).toFixed(2)}× of direct (target ≥ 0.9×); own process ${(rate(m.cp) / rate(m.direct)).toFixed(2)}×`);
    }

    const cpu = (k: keyof typeof cpuPerMb) => percentile(cpuPerMb[k], 50).toFixed(2);
    console.log(`registry pull CPU per MB (p50): direct ${cpu('direct')} ms (the client); control plane ${cpu('in-process')} ms (client and proxy on one event loop); own process ${cpu('cp')} ms here + ${cpu('cpChild')} ms there`);

    const head = async (base: string, headers: Record<string, string>) => timed(async () => {
      const res = await fetch(`${base}/v2/admin/cp0/manifests/1`, { method: 'HEAD', headers: { ...headers, accept: MEDIA.manifest } });
      if (!res.ok) throw new Error(`HEAD: ${res.status}`);
    });
    // docker sends Bearer tokens: an ES256 verification per request instead of the Basic cache.
    const tokenRes = await fetch(`${reg.base}/auth/token?service=dtr.labdock&scope=repository:admin/cp0:pull`, { headers: admin });
    const bearer = { authorization: `Bearer ${((await tokenRes.json()) as { token: string }).token}` };
    const samples = { direct: [] as number[], basic: [] as number[], bearer: [] as number[], own: [] as number[] };
    for (let i = 0; i < HEADS + 30; i++) {
      // The first 30 warm every path (connections, the credential cache) and are not counted.
      const keep = i >= 30;
      const d = await head(direct, {});
      const b = await head(reg.base, admin);
      const t = await head(reg.base, bearer);
      const o = await head(own, admin);
      if (keep) {
        samples.direct.push(d);
        samples.basic.push(b);
        samples.bearer.push(t);
        samples.own.push(o);
      }
    }
    console.log(`registry manifest HEAD: control plane, Basic  ${summary(samples.basic)}`);
    console.log(`registry manifest HEAD: control plane, Bearer ${summary(samples.bearer)}`);
    console.log(`registry manifest HEAD: own process, Basic    ${summary(samples.own)}`);
    console.log(`registry manifest HEAD: direct                ${summary(samples.direct)}`);
    const over = (s: number[]) => (percentile(s, 50) - percentile(samples.direct, 50)).toFixed(2);
    console.log(`registry manifest HEAD: p50 overhead ${over(samples.basic)} ms with Basic, ${over(samples.bearer)} ms with a token (target ≤ 2 ms); own process ${over(samples.own)} ms with Basic`);
  } finally {
    child.kill();
    await reg.stop();
  }
}
