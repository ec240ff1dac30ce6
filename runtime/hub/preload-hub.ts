/**
 * Fills the hub mirror with the images labs pull, under Docker Hub's names:
 * library/alpine:3.3, :3.6 (and :latest), library/busybox:latest, and
 * library/debian:bookworm-slim. The alpine and busybox ones are lab fixtures
 * assembled deterministically (runtime/images/fixtures); debian is labdock's
 * debootstrapped base with its real dpkg database.
 *
 *   const digests = await preloadHub(docker, hub, { hubImage: tags.hub, baseImage });
 *
 * Reads go to the hub itself; pushes go through a short-lived writer
 * (hub-writer.ts), started only when something is missing.
 */
import type Docker from 'dockerode';
import tarStream from 'tar-stream';
import { ALPINE_FIXTURES, alpineRootfs } from '../images/fixtures/alpine-fixture';
import { assembleImage, type AssembledImage } from '../images/fixtures/image-archive';
import { manifestDigest, pushImage } from '../images/fixtures/push-image';
import { writeTar, type TarEntry } from '../images/fixtures/tar-writer';
import type { Hub } from './ensure-hub';
import { withHubWriter } from './hub-writer';

const FIXTURE_NOTE = 'labdock lab fixture: mimics this distribution\'s package database with a busybox userland; built because the official image cannot be fetched here. Not the official image.';

export interface PreloadOptions {
  hubImage: string;
  baseImage: string;
  log?: (m: string) => void;
}

/** Builds the fixture images (pure given busybox's bytes). */
export function buildFixtures(busybox: Buffer): Record<string, AssembledImage> {
  const images: Record<string, AssembledImage> = {};
  for (const [version, fixture] of Object.entries(ALPINE_FIXTURES)) {
    images[`library/alpine:${version}`] = assembleImage({
      layers: [alpineRootfs(fixture, busybox)],
      cmd: ['/bin/sh'],
      created: '2017-06-27T00:00:00Z',
      labels: { 'org.opencontainers.image.description': `Alpine ${fixture.release} — ${FIXTURE_NOTE}`, 'labdock.fixture': 'true' },
    });
  }
  images['library/alpine:latest'] = images['library/alpine:3.6'];
  const applets = ['sh', 'ls', 'cat', 'echo', 'sleep', 'wget', 'ps', 'top', 'env', 'id', 'hostname', 'true', 'false', 'grep', 'sed', 'vi'];
  images['library/busybox:latest'] = assembleImage({
    layers: [writeTar([
      ...['bin', 'etc', 'root', 'tmp', 'var'].map((d): TarEntry => ({ type: 'dir', path: d, mode: d === 'tmp' ? 0o1777 : 0o755 })),
      { type: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
      ...applets.map((a): TarEntry => ({ type: 'symlink', path: `bin/${a}`, target: '/bin/busybox' })),
      { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\n') },
    ])],
    cmd: ['sh'],
    created: '2017-06-27T00:00:00Z',
    labels: { 'org.opencontainers.image.description': `busybox (Debian busybox-static) — ${FIXTURE_NOTE}`, 'labdock.fixture': 'true' },
  });
  return images;
}

export async function preloadHub(docker: Docker, hub: Hub, options: PreloadOptions): Promise<Record<string, string>> {
  const log = options.log ?? (() => undefined);
  const hubUrl = hub.url;
  const busybox = await readFileFromImage(docker, options.hubImage, '/bin/busybox');
  const digests: Record<string, string> = {};
  const missing: [string, AssembledImage][] = [];
  for (const [ref, image] of Object.entries(buildFixtures(busybox))) {
    const [repo, tag] = ref.split(':');
    if ((await manifestDigest(hubUrl, repo, tag)) !== image.digest) missing.push([ref, image]);
    digests[ref] = image.digest;
  }
  const debianRef = 'library/debian:bookworm-slim';
  const existing = await manifestDigest(hubUrl, 'library/debian', 'bookworm-slim');
  const baseId = (await docker.getImage(options.baseImage).inspect()).Id;
  const marker = await manifestDigest(hubUrl, 'labdock/base-marker', baseId.replace('sha256:', '').slice(0, 64));
  const needDebian = !(existing && marker);
  if (existing && marker) digests[debianRef] = existing;
  if (!missing.length && !needDebian) return digests;
  await withHubWriter(docker, hub, async (writerUrl) => {
    for (const [ref, image] of missing) {
      const [repo, tag] = ref.split(':');
      await pushImage(writerUrl, repo, tag, image);
      log(`hub: pushed ${ref} (${image.digest.slice(0, 19)})`);
    }
    if (needDebian) {
      log('hub: pushing debian:bookworm-slim (labdock base, real dpkg database)');
      const image = await debianImage(docker, options.baseImage);
      await pushImage(writerUrl, 'library/debian', 'bookworm-slim', image);
      await pushImage(writerUrl, 'labdock/base-marker', baseId.replace('sha256:', '').slice(0, 64), image);
      digests[debianRef] = image.digest;
    }
  });
  return digests;
}

/** One file out of an image, without running it. */
export async function readFileFromImage(docker: Docker, image: string, file: string): Promise<Buffer> {
  const container = await docker.createContainer({ Image: image, Cmd: ['true'], Labels: { 'labdock.managed': 'true' } });
  try {
    const archive = await container.getArchive({ path: file });
    return await new Promise<Buffer>((resolve, reject) => {
      const extract = tarStream.extract();
      let found: Buffer | null = null;
      extract.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          if (header.type === 'file' && !found) found = Buffer.concat(chunks);
          next();
        });
      });
      extract.on('finish', () => (found ? resolve(found) : reject(new Error(`${file} not found in ${image}`))));
      extract.on('error', reject);
      archive.pipe(extract);
    });
  } finally {
    await container.remove({ force: true });
  }
}

async function debianImage(docker: Docker, baseImage: string): Promise<AssembledImage> {
  const container = await docker.createContainer({ Image: baseImage, Cmd: ['true'], Labels: { 'labdock.managed': 'true' } });
  try {
    const chunks: Buffer[] = [];
    const stream = await container.export();
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    const tar = Buffer.concat(chunks);
    const image = assembleImage({
      layers: [tar],
      cmd: ['bash'],
      created: '2024-01-01T00:00:00Z',
      labels: { 'org.opencontainers.image.description': 'Debian bookworm (debootstrap --variant=minbase), labdock base image with its real dpkg database' },
    });
    return image;
  } finally {
    await container.remove({ force: true });
  }
}
