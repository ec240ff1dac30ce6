/**
 * The registry image carries the control plane (runtime/registry) as one
 * JavaScript file for the node's own Node.js (Debian bookworm: Node 18),
 * bundled with esbuild into the image's build context. The bundle's sources
 * are part of the image's input hash, so editing the control plane rebuilds
 * the image.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNTIME = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Folders whose files the bundle is made of (for the image's input hash): all
 * of runtime/registry — the control plane imports auth, policy, storage, gc,
 * events, scanning… and the bundled vulnerability database ships beside it.
 */
export const CONTROL_PLANE_SOURCES = [path.join(RUNTIME, 'registry')];

/** The offline vulnerability database the registry image carries (at /opt/labdock/vulndb). */
export const BUNDLED_VULNDB = path.join(RUNTIME, 'registry', 'scanning', 'data', 'alpine-secdb');

export async function bundleControlPlane(): Promise<Buffer> {
  const result = await build({
    entryPoints: [path.join(RUNTIME, 'registry', 'control-plane', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    write: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}
