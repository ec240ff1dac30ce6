/**
 * Scanner throughput (part of `npm run bench`): reading an image's packages
 * from the hub mirror — stream, verify, gunzip, untar, keep only package
 * databases — against the raw cost of fetching, gunzipping and untarring the
 * same layers with nothing kept, in the same run.
 */
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import Docker from 'dockerode';
import tarStream from 'tar-stream';
import { ensureImages } from '../runtime/images/ensure-images';
import { ensureHub } from '../runtime/hub/ensure-hub';
import { readImage, registryBlobSource } from '../runtime/registry/scanning/read-image';
import { percentile, summary } from './stats';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { assembleImage, MEDIA } from '../runtime/images/fixtures/image-archive';
import { writeTar } from '../runtime/images/fixtures/tar-writer';
import { copyImage, pushImage } from '../runtime/images/fixtures/push-image';
import { startTestRegistry } from '../runtime/registry/control-plane/test-registry';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const docker = new Docker();
const tags = await ensureImages(docker, { names: ['hub'] });
const hub = await ensureHub(docker, tags.hub);

async function raw(repo: string, ref: string, registry = hub.url): Promise<number> {
  const source = registryBlobSource(registry, repo);
  const manifest = await source.manifest(ref);
  let bytes = 0;
  for (const layer of manifest.layers) {
    const extract = tarStream.extract();
    extract.on('entry', (header, stream, next) => {
      bytes += header.size ?? 0;
      stream.on('end', () => next());
      stream.resume();
    });
    await pipeline(await source.blob(layer.digest), createGunzip(), extract);
  }
  return bytes;
}

/**
 * The 200 MB Debian image: bookworm-slim from the hub plus a layer of 64 MiB
 * of deterministic incompressible bytes and a package of its own, pushed to a
 * registry of the bench's own (removed afterwards).
 */
async function debian200(): Promise<{ registry: string; stop: () => Promise<void> }> {
  const reg = await startTestRegistry(docker);
  const registry = `http://${reg.ip}:5000`;
  await copyImage({ registry: hub.url, repository: 'library/debian', reference: 'bookworm-slim' }, { registry, repository: 'bench/debian', tag: 'slim' });
  const manifest = (await (await fetch(`${registry}/v2/bench/debian/manifests/slim`, { headers: { accept: MEDIA.manifest } })).json()) as { config: { digest: string }; layers: { digest: string }[] };
  const layers = [];
  for (const l of manifest.layers) layers.push(Buffer.from(await (await fetch(`${registry}/v2/bench/debian/blobs/${l.digest}`)).arrayBuffer()));
  // A counter through SHA-256: the same 64 MiB on every machine, and gzip cannot shrink it.
  const filler = Buffer.alloc(64 * 1024 * 1024);
  for (let i = 0; i < filler.length / 32; i++) createHash('sha256').update(`labdock-bench-${i}`).digest().copy(filler, i * 32);
  const status = 'Package: labdock-bench-data\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: all\n';
  const extra = writeTar([{ type: 'file', path: 'opt/bench/data.bin', data: filler }, { type: 'file', path: 'var/lib/dpkg/status.d/labdock-bench-data', data: Buffer.from(status) }]);
  const image = assembleImage({ layers: [...layers.map((l) => gunzipSync(l)), extra], cmd: ['bash'], labels: {}, created: '2023-01-01T00:00:00Z' });
  await pushImage(registry, 'bench/debian', '200mb', image);
  return { registry, stop: () => reg.stop() };
}

const big = await debian200();
try {
  for (const [registry, repo, ref] of [[hub.url, 'library/alpine', '3.6'], [hub.url, 'library/debian', 'bookworm-slim'], [big.registry, 'bench/debian', '200mb']] as const) {
    const scans: number[] = [];
    const raws: number[] = [];
    let bytes = 0;
    let packages = 0;
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      bytes = await raw(repo, ref, registry);
      raws.push(performance.now() - t);
      t = performance.now();
      packages = (await readImage(registryBlobSource(registry, repo), ref)).packages.length;
      scans.push(performance.now() - t);
    }
    const mb = bytes / 1024 / 1024;
    const throughput = (ms: number[]) => (mb / (percentile(ms, 50) / 1000)).toFixed(0);
    console.log(`\nScan ${repo}:${ref} (${mb.toFixed(1)} MiB uncompressed, ${packages} packages)`);
    console.log(`  scan        : ${summary(scans)}  → ${throughput(scans)} MiB/s`);
    console.log(`  raw untar   : ${summary(raws)}  → ${throughput(raws)} MiB/s`);
    console.log(`  throughput  : ${(percentile(raws, 50) / percentile(scans, 50)).toFixed(2)}× of raw   target: ≥ 0.5×`);
  }
} finally {
  await big.stop();
}
