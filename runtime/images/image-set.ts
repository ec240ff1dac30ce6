/**
 * The images labdock builds, and their tags. A tag is a hash of everything
 * that goes into the image (its folder's files and its base's tag), so an
 * image is rebuilt exactly when an input changes.
 *
 *   resolveImageTag('node')   // 'labdock/node:3f9a1c0d2b7e' — pure: reads files, asks no engine
 *
 * Adding an image: a folder under runtime/images/<name>/ with a Dockerfile
 * that starts `ARG BASE` / `FROM ${BASE}`, its name in ImageName and a line
 * in IMAGES.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTROL_PLANE_SOURCES } from './registry-bundle';
import { hostDebianMirror } from './debian-mirror';

export const IMAGES_DIR = path.dirname(fileURLToPath(import.meta.url));

export type ImageName = 'node' | 'hub' | 'registry';

export const IMAGES: Record<ImageName, { description: string; /** Source folders built into the context (control-plane.js). */ bundles?: string[] }> = {
  node: { description: 'labdock lab node: Docker engine and CLI, notary, skopeo and tools, from Debian packages' },
  hub: { description: 'labdock hub mirror: CNCF Distribution holding the images labs pull' },
  registry: { description: 'labdock bundled registry node: control plane, CNCF Distribution, Notary server and signer', bundles: CONTROL_PLANE_SOURCES },
};

/** Debian release and variant of the base; part of the base's hash. */
export const BASE_RECIPE = { suite: 'bookworm', variant: 'minbase', recipe: 3 } as const;

/** The base's tag: its recipe and the mirror it comes from (the host apt's, by default). */
export function baseTag(mirror: string = hostDebianMirror()): string {
  return `labdock/base:${hash([JSON.stringify(BASE_RECIPE), mirror])}`;
}

/** The tag an image has when built from the current inputs: its folder's files, bundled sources and base tag. */
export function resolveImageTag(name: ImageName, base: string = baseTag()): string {
  return tagForInputs(name, path.join(IMAGES_DIR, name), base, IMAGES[name].bundles);
}

/**
 * The hash behind resolveImageTag, for any folder: file names and contents
 * count (not mtimes or modes), bundled sources count without their tests.
 */
export function tagForInputs(name: string, folder: string, base: string, bundles: string[] = []): string {
  const files = [
    ...contextFiles(folder),
    ...bundles.flatMap((dir) => contextFiles(dir).filter((f) => !f.rel.endsWith('.test.ts')).map((f) => ({ ...f, rel: `${path.basename(dir)}/${f.rel}` }))),
  ];
  return `labdock/${name}:${hash([base, ...files.map(({ rel, data }) => `${rel}\0${data.toString('base64')}`)])}`;
}

export function contextFiles(dir: string): { rel: string; data: Buffer }[] {
  const out: { rel: string; data: Buffer }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ rel: path.relative(dir, p), data: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

function hash(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\n');
  return h.digest('hex').slice(0, 12);
}
