/**
 * Builds the images labdock needs, only when missing or out of date, with
 * progress a person (or a CI log) can follow.
 *
 *   const tags = await ensureImages(docker, { names: ['node'], onProgress: (e) => console.log(e.image, e.message) });
 *   tags.node  // 'labdock/node:3f9a1c0d2b7e'
 *
 * dindHostConfig() is how a node container must be run on these machines
 * (--privileged is refused here; see architecture.md).
 */
import tarFs from 'tar-fs';
import type Docker from 'dockerode';
import path from 'node:path';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { bundleControlPlane } from './registry-bundle';
import { buildBase, hostDebianMirror } from './build-base';
import { baseTag, IMAGES, IMAGES_DIR, resolveImageTag, type ImageName } from './image-set';
import { LABELS } from '../provisioner/provisioner';

export { resolveImageTag, type ImageName } from './image-set';

export interface ImageProgress {
  image: ImageName | 'base';
  state: 'cached' | 'building' | 'done' | 'failed';
  message: string;
  elapsedMs: number;
}

export interface EnsureOptions {
  names?: ImageName[];
  rebuild?: boolean;
  onProgress?: (event: ImageProgress) => void;
}

export async function ensureImages(docker: Docker, options: EnsureOptions = {}): Promise<Record<ImageName, string>> {
  const names = options.names ?? (Object.keys(IMAGES) as ImageName[]);
  const report = options.onProgress ?? (() => undefined);
  const mirror = hostDebianMirror();
  const base = baseTag(mirror);
  const exists = async (tag: string) => !!(await docker.getImage(tag).inspect().catch(() => null));

  const tags = {} as Record<ImageName, string>;
  const todo: ImageName[] = [];
  for (const name of names) {
    tags[name] = resolveImageTag(name, base);
    if (!options.rebuild && (await exists(tags[name]))) report({ image: name, state: 'cached', message: tags[name], elapsedMs: 0 });
    else todo.push(name);
  }
  if (!todo.length) return tags;

  await step('base', report, async (line) => {
    if (await exists(base)) return line(`${base} (cached)`);
    await buildBase(docker, base, mirror, line);
  });
  for (const name of todo) {
    await step(name, report, (line) => buildOne(docker, name, tags[name], base, mirror, line));
  }
  return tags;
}

async function step(image: ImageProgress['image'], report: (e: ImageProgress) => void, work: (line: (m: string) => void) => Promise<void>) {
  const started = Date.now();
  const line = (message: string) => report({ image, state: 'building', message, elapsedMs: Date.now() - started });
  try {
    await work(line);
    report({ image, state: 'done', message: `ready in ${((Date.now() - started) / 1000).toFixed(1)} s`, elapsedMs: Date.now() - started });
  } catch (err) {
    report({ image, state: 'failed', message: (err as Error).message, elapsedMs: Date.now() - started });
    throw err;
  }
}

/** The image's folder, plus the control plane bundle for the registry image. */
async function buildContext(name: ImageName): Promise<string> {
  const source = path.join(IMAGES_DIR, name);
  if (!IMAGES[name].bundles) return source;
  const dir = await mkdtemp(path.join(tmpdir(), `labdock-context-${name}-`));
  await cp(source, dir, { recursive: true });
  await writeFile(path.join(dir, 'control-plane.js'), await bundleControlPlane());
  return dir;
}

async function buildOne(docker: Docker, name: ImageName, tag: string, base: string, mirror: string, line: (m: string) => void) {
  const dir = await buildContext(name);
  try {
    await buildFrom(docker, dir, name, tag, base, mirror, line);
  } finally {
    if (dir !== path.join(IMAGES_DIR, name)) await rm(dir, { recursive: true, force: true });
  }
}

async function buildFrom(docker: Docker, dir: string, name: ImageName, tag: string, base: string, mirror: string, line: (m: string) => void) {
  const context = tarFs.pack(dir);
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
    t: tag,
    buildargs: { BASE: base },
    rm: true,
    forcerm: true,
    labels: { [LABELS.managed]: 'true', 'labdock.image': name, 'labdock.inputs': tag.split(':')[1], 'org.opencontainers.image.description': IMAGES[name].description },
  } as Docker.ImageBuildOptions);
  let failure: string | null = null;
  let tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()), (event: { stream?: string; error?: string }) => {
      if (event.error) failure = event.error;
      const text = event.stream?.trim();
      if (!text) return;
      tail = [...tail.slice(-30), text];
      if (/^Step \d+\/\d+/.test(text)) line(text.length > 160 ? `${text.slice(0, 157)}...` : text);
      else if (/^(Get:\d+|Setting up|Unpacking) /.test(text) && Math.random() < 0.05) line(`  ${text.slice(0, 120)}`);
    });
  });
  if (failure) {
    const unreachable = tail.some((l) => /Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect/i.test(l));
    throw new Error(unreachable
      ? `building ${name} could not reach the Debian mirror ${mirror}: check this machine's network (apt-get update must work)`
      : `building ${name} failed: ${failure}\n${tail.slice(-10).join('\n')}`);
  }
}

export type DindHostConfig = Pick<Docker.HostConfig, 'CapAdd' | 'CapDrop' | 'SecurityOpt' | 'Binds'> & { MaskedPaths: string[]; ReadonlyPaths: string[] };

/** How a DinD node runs without --privileged (verified on these machines; see architecture.md). */
export function dindHostConfig(): DindHostConfig {
  return {
    CapAdd: ['ALL'],
    CapDrop: ['SYS_RESOURCE'],
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    // The API form of the CLI's --security-opt systempaths=unconfined.
    MaskedPaths: [],
    ReadonlyPaths: [],
    Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
  };
}
