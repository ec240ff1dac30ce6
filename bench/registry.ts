/**
 * Registry throughput (part of `npm run bench`): the control plane in front
 * of Distribution against Distribution itself, in the same run, on the same
 * storage — the cost of authentication, the role table and the proxy.
 *
 *  1. Push of a ~200 MB image (4 incompressible 50 MB layers): control plane vs direct.
 *  2. Pull of the same blobs, streamed and discarded: control plane vs direct.
 *  3. Manifest HEAD latency: p50 through the control plane (Basic and Bearer) minus direct.
 */
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { assembleImage, MEDIA } from '../runtime/images/fixtures/image-archive';
import { writeTar } from '../runtime/images/fixtures/tar-writer';
import { pushImage } from '../runtime/images/fixtures/push-image';
import { startTestRegistry } from '../runtime/registry/control-plane/test-registry';
import { percentile, summary } from './stats';

const RUNS = Number(process.env.BENCH_REGISTRY_RUNS ?? 3);
const HEADS = Number(process.env.BENCH_HEADS ?? 300);
const LAYER_MB = 50;

const reg = await startTestRegistry(new Docker());
try {
  const direct = `http://${reg.ip}:5000`;
  // Random bytes do not compress: the layers stay ~200 MB on the wire, as a real large image's would.
  const image = assembleImage({
    layers: Array.from({ length: 4 }, (_, i) => writeTar([{ type: 'file', path: `data-${i}`, data: randomBytes(LAYER_MB * 1024 * 1024) }])),
    cmd: ['sh'], labels: {}, created: '2017-01-01T00:00:00Z',
  });
  const bytes = [...image.layers, image.config].reduce((n, b) => n + b.size, 0);
  const mb = bytes / 1024 / 1024;
  console.log(`registry: image of ${mb.toFixed(0)} MB, ${RUNS} runs each way, interleaved`);

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

  const push = { cp: [] as number[], direct: [] as number[] };
  const pulls = { cp: [] as number[], direct: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    // A new repository each time: the blobs are uploaded again, not found already linked.
    push.direct.push(await timed(() => pushImage(direct, `admin/direct${i}`, '1', image)));
    push.cp.push(await timed(() => pushImage(reg.base, `admin/cp${i}`, '1', image, admin)));
    pulls.direct.push(await timed(() => pull(direct, `admin/direct${i}`, {})));
    pulls.cp.push(await timed(() => pull(reg.base, `admin/cp${i}`, admin)));
  }
  const rate = (ms: number[]) => mb / (percentile(ms, 50) / 1000);
  for (const [what, m] of [['push', push], ['pull', pulls]] as const) {
    console.log(`registry ${what}: control plane ${rate(m.cp).toFixed(0)} MB/s, direct ${rate(m.direct).toFixed(0)} MB/s → ${(rate(m.cp) / rate(m.direct)).toFixed(2)}× of direct (target ≥ 0.9×)`);
  }

  const head = async (base: string, headers: Record<string, string>) => {
    const samples: number[] = [];
    for (let i = 0; i < HEADS; i++) {
      samples.push(await timed(async () => {
        const res = await fetch(`${base}/v2/admin/cp0/manifests/1`, { method: 'HEAD', headers: { ...headers, accept: MEDIA.manifest } });
        if (!res.ok) throw new Error(`HEAD: ${res.status}`);
      }));
    }
    return samples;
  };
  await head(reg.base, admin); // warm both paths (connections, the credential cache)
  await head(direct, {});
  // docker sends Bearer tokens: an ES256 verification per request instead of the Basic cache.
  const tokenRes = await fetch(`${reg.base}/auth/token?service=dtr.labdock&scope=repository:admin/cp0:pull`, { headers: admin });
  const bearer = { authorization: `Bearer ${((await tokenRes.json()) as { token: string }).token}` };
  const viaCp = await head(reg.base, admin);
  const viaToken = await head(reg.base, bearer);
  const viaDirect = await head(direct, {});
  console.log(`registry manifest HEAD: control plane, Basic  ${summary(viaCp)}`);
  console.log(`registry manifest HEAD: control plane, Bearer ${summary(viaToken)}`);
  console.log(`registry manifest HEAD: direct                ${summary(viaDirect)}`);
  const over = (s: number[]) => (percentile(s, 50) - percentile(viaDirect, 50)).toFixed(2);
  console.log(`registry manifest HEAD: p50 overhead ${over(viaCp)} ms with Basic, ${over(viaToken)} ms with a token (target ≤ 2 ms)`);
} finally {
  await reg.stop();
}
