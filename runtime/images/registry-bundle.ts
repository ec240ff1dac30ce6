/**
 * The registry image carries the control plane (runtime/registry) as one
 * JavaScript file for the node's own Node.js (Debian bookworm: Node 18),
 * bundled with esbuild into the image's build context. The bundle's sources
 * are part of the image's input hash, so editing the control plane rebuilds
 * the image — and editing the server's side of the registry does not.
 */
import { build, type BuildOptions } from 'esbuild';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNTIME = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const REGISTRY = path.join(RUNTIME, 'registry');

/**
 * What of runtime/registry runs in the labdock server, not on the registry
 * node: the session PKI, starting the node, the console proxy. Not bundled,
 * so not part of the image's hash: editing them rebuilds nothing.
 */
export const SERVER_SIDE = ['console-proxy', 'start-registry.ts', 'session-pki.ts', 'session-pki.test.ts', 'registry-session.test.ts'];

/**
 * Folders whose files the bundle is made of (for the image's input hash):
 * every folder of runtime/registry but the server's (a new folder counts until
 * it is listed above), the bundled vulnerability database included.
 * registry-bundle's test holds the bundle to this list.
 */
export const CONTROL_PLANE_SOURCES = readdirSync(REGISTRY, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !SERVER_SIDE.includes(e.name))
  .map((e) => path.join(REGISTRY, e.name))
  .sort();

/** The source files esbuild actually reads for the bundle (absolute paths), from its metafile. */
export async function controlPlaneInputs(): Promise<string[]> {
  const result = await build({ ...BUILD, metafile: true });
  return Object.keys(result.metafile?.inputs ?? {}).map((p) => path.resolve(p));
}

/** The offline vulnerability database the registry image carries (at /opt/labdock/vulndb). */
export const BUNDLED_VULNDB = path.join(RUNTIME, 'registry', 'scanning', 'data', 'alpine-secdb');

const BUILD: BuildOptions & { write: false } = {
  entryPoints: [path.join(RUNTIME, 'registry', 'control-plane', 'main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  write: false,
  minify: false,
  legalComments: 'none',
  logLevel: 'silent',
};

export async function bundleControlPlane(): Promise<Buffer> {
  const result = await build(BUILD);
  return Buffer.from(result.outputFiles[0].contents);
}
