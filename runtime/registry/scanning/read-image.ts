/**
 * Reads an image's installed packages straight from a registry, one layer at a
 * time: each layer blob is streamed through gunzip and a tar parser, only the
 * few package-database files are kept, whiteouts are applied, and every
 * package is attributed to the layer that introduced it. Nothing but those
 * small files is ever held in memory, whatever the image's size. Each blob's
 * digest is verified as it streams; a mismatch fails the read.
 *
 *   const inventory = await readImage(registryBlobSource('http://hub:5000', 'library/alpine'), '3.6');
 */
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { createDistributionClient, type DistributionClient } from '../distribution/distribution-client';
import { detectDistro, parseApkInstalled, parseDpkgStatus, type Distro, type InstalledPackage } from './package-db';

export interface BlobSource {
  manifest(reference: string): Promise<{ digest: string; layers: { digest: string; size: number; mediaType: string }[] }>;
  blob(digest: string): Promise<Readable>;
}

export interface LayerInventory {
  index: number;
  digest: string;
  size: number;
  /** Packages this layer installed or upgraded. */
  introduced: InstalledPackage[];
}

export interface ImageInventory {
  manifestDigest: string;
  distro: Distro | null;
  packages: (InstalledPackage & { layer: number })[];
  layers: LayerInventory[];
}

const DB_FILES = ['lib/apk/db/installed', 'var/lib/dpkg/status', 'etc/os-release', 'usr/lib/os-release', 'etc/alpine-release'];
const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';

function interesting(path: string): boolean {
  return DB_FILES.includes(path) || (path.startsWith(DPKG_STATUS_D) && path.length > DPKG_STATUS_D.length);
}

export async function readImage(source: BlobSource, reference: string): Promise<ImageInventory> {
  const manifest = await source.manifest(reference);
  const files = new Map<string, string>();
  const layers: LayerInventory[] = [];
  const packages: (InstalledPackage & { layer: number })[] = [];
  let before = new Map<string, InstalledPackage>();
  for (const [index, layer] of manifest.layers.entries()) {
    await applyLayer(await source.blob(layer.digest), layer.digest, files);
    const after = inventory(files);
    const introduced = [...after.entries()].filter(([key]) => !before.has(key)).map(([, p]) => p);
    layers.push({ index, digest: layer.digest, size: layer.size, introduced });
    before = after;
  }
  for (const layer of layers) {
    for (const p of layer.introduced) if (before.has(keyOf(p))) packages.push({ ...p, layer: layer.index });
  }
  const distro = detectDistro({ osRelease: files.get('etc/os-release') ?? files.get('usr/lib/os-release'), alpineRelease: files.get('etc/alpine-release') });
  return { manifestDigest: manifest.digest, distro, packages, layers };
}

function keyOf(p: InstalledPackage): string {
  return `${p.format}:${p.name}@${p.version}`;
}

function inventory(files: Map<string, string>): Map<string, InstalledPackage> {
  const all: InstalledPackage[] = [];
  const apk = files.get('lib/apk/db/installed');
  if (apk) all.push(...parseApkInstalled(apk));
  const status = files.get('var/lib/dpkg/status');
  if (status) all.push(...parseDpkgStatus(status));
  for (const [path, text] of files) if (path.startsWith(DPKG_STATUS_D)) all.push(...parseDpkgStatus(text));
  return new Map(all.map((p) => [keyOf(p), p]));
}

/** Streams one layer, updating `files` with its database files and whiteouts. */
async function applyLayer(blob: Readable, digest: string, files: Map<string, string>): Promise<void> {
  const hash = createHash('sha256');
  const verify = new Transform({
    transform(chunk, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const extract = tarStream.extract();
  extract.on('entry', (header, stream, next) => {
    const path = normalise(header.name);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    if (base === '.wh..wh..opq') {
      for (const f of [...files.keys()]) if (f.startsWith(dir)) files.delete(f);
    } else if (base.startsWith('.wh.')) {
      const gone = dir + base.slice(4);
      for (const f of [...files.keys()]) if (f === gone || f.startsWith(`${gone}/`)) files.delete(f);
    }
    if (header.type === 'file' && interesting(path)) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        files.set(path, Buffer.concat(chunks).toString('utf8'));
        next();
      });
    } else {
      // A later layer replacing a database file with something else removes it too.
      if (interesting(path) && header.type !== 'file') files.delete(path);
      stream.on('end', () => next());
      stream.resume();
    }
  });
  await pipeline(blob, verify, createGunzip(), extract);
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== digest) throw new Error(`layer ${digest} does not match its digest (got ${actual})`);
}

function normalise(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '');
}

/** Reads manifests and blobs from a Distribution registry over HTTP (the one Distribution client). */
export function distributionBlobSource(distribution: DistributionClient, repository: string): BlobSource {
  return {
    async manifest(reference) {
      const m = await distribution.manifest(repository, reference);
      const body = JSON.parse(m.body.toString('utf8')) as { layers?: { digest: string; size: number; mediaType: string }[] };
      if (!body.layers) throw new Error(`manifest ${repository}:${reference} is not an image manifest (lists are not scanned directly)`);
      return { digest: m.digest, layers: body.layers };
    },
    blob: (digest) => distribution.blob(repository, digest),
  };
}

/** The same from a registry by URL (`http://hub:5000`), with extra headers (credentials) on every call. */
export function registryBlobSource(registry: string, repository: string, headers: Record<string, string> = {}): BlobSource {
  const url = new URL(registry);
  if (url.protocol !== 'http:') throw new Error(`${registry}: only plain http registries (on loopback or a session network) are read`);
  return distributionBlobSource(createDistributionClient({ host: url.hostname, port: Number(url.port || 80) }, { headers }), repository);
}
