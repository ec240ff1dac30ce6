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

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const docker = new Docker();
const tags = await ensureImages(docker, { names: ['hub'] });
const hub = await ensureHub(docker, tags.hub);

async function raw(repo: string, ref: string): Promise<number> {
  const source = registryBlobSource(hub.url, repo);
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

for (const [repo, ref] of [['library/alpine', '3.6'], ['library/debian', 'bookworm-slim']] as const) {
  const scans: number[] = [];
  const raws: number[] = [];
  let bytes = 0;
  let packages = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    bytes = await raw(repo, ref);
    raws.push(performance.now() - t);
    t = performance.now();
    packages = (await readImage(registryBlobSource(hub.url, repo), ref)).packages.length;
    scans.push(performance.now() - t);
  }
  const mb = bytes / 1024 / 1024;
  const throughput = (ms: number[]) => (mb / (percentile(ms, 50) / 1000)).toFixed(0);
  console.log(`\nScan ${repo}:${ref} (${mb.toFixed(1)} MiB uncompressed, ${packages} packages)`);
  console.log(`  scan        : ${summary(scans)}  → ${throughput(scans)} MiB/s`);
  console.log(`  raw untar   : ${summary(raws)}  → ${throughput(raws)} MiB/s`);
  console.log(`  throughput  : ${(percentile(raws, 50) / percentile(scans, 50)).toFixed(2)}× of raw   target: ≥ 0.5×`);
}
