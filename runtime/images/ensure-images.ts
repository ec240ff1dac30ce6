/**
 * Builds the images labdock needs, only when missing or out of date, with
 * progress a person (or a CI log) can follow. Offline apart from Debian's
 * mirror: the base comes from debootstrap (or debian:bookworm-slim where the
 * engine has it), every image from Debian packages.
 *
 *   const docker = new Docker();
 *   const tags = await ensureImages(docker, { names: ['node'], onProgress: (e) => console.log(formatImageProgress(e)) });
 *   tags.node                      // 'labdock/node:3f9a1c0d2b7e' — the same as resolveImageTag('node')
 *   docker.createContainer({ Image: tags.node, HostConfig: { ...dindHostConfig(), … } });
 *
 * A tag is a hash of the image's inputs (see image-set.ts), so "out of date"
 * is simply "this tag is not in the engine". `rebuild` builds again without
 * the engine's layer cache (current Debian packages); the base is never
 * rebuilt once its tag exists.
 */
import type Docker from 'dockerode';
import path from 'node:path';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { BUNDLED_VULNDB, bundleControlPlane } from './registry-bundle';
import { buildBase } from './build-base';
import { buildImage, type BuildLine } from './build-image';
import { hostDebianMirror } from './debian-mirror';
import { baseTag, IMAGES, IMAGES_DIR, resolveImageTag, type ImageName } from './image-set';
import { LABELS } from '../provisioner/provisioner';

export { resolveImageTag, type ImageName } from './image-set';
export { dindHostConfig, DIND_DATA_DIR, type DindHostConfig } from './dind-host-config';

export interface ImageProgress {
  image: ImageName | 'base';
  state: 'cached' | 'building' | 'done' | 'failed';
  /** The tag (cached), a build line (building), the time taken (done) or why it failed. */
  message: string;
  /** Since this image's build started (0 for cached). */
  elapsedMs: number;
  /** On a building event that starts a Dockerfile step. */
  step?: { index: number; total: number };
}

export interface EnsureOptions {
  /** Default: every image in IMAGES. */
  names?: ImageName[];
  /** Build even what is present, without the layer cache. */
  rebuild?: boolean;
  onProgress?: (event: ImageProgress) => void;
}

export async function ensureImages(docker: Docker, options: EnsureOptions = {}): Promise<Record<ImageName, string>> {
  const names = options.names ?? (Object.keys(IMAGES) as ImageName[]);
  const report = options.onProgress ?? (() => undefined);
  const mirror = hostDebianMirror();
  const base = baseTag(mirror);

  const tags = {} as Record<ImageName, string>;
  const todo: ImageName[] = [];
  for (const name of names) {
    tags[name] = resolveImageTag(name, base);
    if (!options.rebuild && (await imageId(docker, tags[name]))) report({ image: name, state: 'cached', message: tags[name], elapsedMs: 0 });
    else todo.push(name);
  }
  if (!todo.length) return tags;

  await ensureBase(docker, { onProgress: report });

  for (const name of todo) {
    await tracked(name, report, async (line) => {
      const previous = await imageId(docker, tags[name]);
      await buildFrom(docker, name, tags[name], base, mirror, !!options.rebuild, line);
      // A rebuild moves the tag: drop the image it leaves untagged, unless a container still uses it.
      if (previous && previous !== (await imageId(docker, tags[name]))) await docker.getImage(previous).remove().catch(() => undefined);
    });
  }
  return tags;
}

/** The base image's tag, debootstrapped (or re-tagged from debian:bookworm-slim) only when the engine lacks it. */
export async function ensureBase(docker: Docker, options: Pick<EnsureOptions, 'onProgress'> = {}): Promise<string> {
  const report = options.onProgress ?? (() => undefined);
  const mirror = hostDebianMirror();
  const base = baseTag(mirror);
  if (await imageId(docker, base)) report({ image: 'base', state: 'cached', message: base, elapsedMs: 0 });
  else await tracked('base', report, (line) => buildBase(docker, base, mirror, (text) => line({ text })));
  return base;
}

/** One line per event, for logs: "[node] step 3/8 41s: Step 3/8 : RUN apt-get update …". */
export function formatImageProgress(e: ImageProgress): string {
  const where = e.step ? ` step ${e.step.index}/${e.step.total}` : '';
  const when = e.state === 'cached' ? '' : ` ${(e.elapsedMs / 1000).toFixed(0)}s`;
  return `[${e.image}] ${e.state}${where}${when}: ${e.message}`;
}

async function imageId(docker: Docker, tag: string): Promise<string | null> {
  return (await docker.getImage(tag).inspect().catch(() => null))?.Id ?? null;
}

type Line = (line: BuildLine) => void;

/** Runs one image's build, reporting building lines, then done or failed (and rethrows). */
async function tracked(image: ImageProgress['image'], report: (e: ImageProgress) => void, work: (line: Line) => Promise<void>): Promise<void> {
  const started = Date.now();
  const elapsedMs = () => Date.now() - started;
  try {
    await work((l) => report({ image, state: 'building', message: l.text, elapsedMs: elapsedMs(), ...(l.step ? { step: l.step } : {}) }));
    report({ image, state: 'done', message: `ready in ${(elapsedMs() / 1000).toFixed(1)} s`, elapsedMs: elapsedMs() });
  } catch (err) {
    report({ image, state: 'failed', message: (err as Error).message, elapsedMs: elapsedMs() });
    throw err;
  }
}

async function buildFrom(docker: Docker, name: ImageName, tag: string, base: string, mirror: string, noCache: boolean, line: Line): Promise<void> {
  const context = await contextDir(name);
  try {
    await buildImage(docker, {
      context: context.dir,
      tag,
      buildArgs: { BASE: base },
      labels: {
        [LABELS.managed]: 'true',
        'labdock.image': name,
        'labdock.inputs': tag.split(':')[1],
        'org.opencontainers.image.description': IMAGES[name].description,
      },
      mirror,
      what: name,
      noCache,
    }, line);
  } finally {
    await context.cleanup();
  }
}

/** The image's folder as it is, or a copy with the control plane bundle for images that carry one. */
async function contextDir(name: ImageName): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const source = path.join(IMAGES_DIR, name);
  if (!IMAGES[name].bundles) return { dir: source, cleanup: async () => undefined };
  const dir = await mkdtemp(path.join(tmpdir(), `labdock-context-${name}-`));
  await cp(source, dir, { recursive: true });
  await writeFile(path.join(dir, 'control-plane.js'), await bundleControlPlane());
  await cp(BUNDLED_VULNDB, path.join(dir, 'vulndb', 'alpine-secdb'), { recursive: true });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
