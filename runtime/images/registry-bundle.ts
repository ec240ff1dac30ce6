/**
 * The registry image carries the control plane (runtime/registry) as one
 * JavaScript file for the node's own Node.js (Debian bookworm: Node 18),
 * bundled with esbuild into the image's build context. The bundle's sources
 * are part of the image's input hash, so editing the control plane rebuilds
 * the image — and editing the server's side (runtime/registry-host) does not.
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNTIME = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const REGISTRY = path.join(RUNTIME, 'registry');

/**
 * Folders whose files the bundle is made of (for the image's input hash):
 * every folder of runtime/registry, the bundled vulnerability database
 * included. What runs in the labdock server instead (session PKI, starting
 * the node, the console proxy) lives in runtime/registry-host, outside the
 * hash: editing it rebuilds nothing. registry-bundle's test holds the bundle
 * to this list.
 */
export const CONTROL_PLANE_SOURCES = readdirSync(REGISTRY, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => path.join(REGISTRY, e.name))
  .sort();

/** The labdock server's side of the registry: never bundled into the node. */
export const REGISTRY_HOST_DIR = path.join(RUNTIME, 'registry-host');

/** The source files esbuild actually reads for the bundle (absolute paths), from its metafile. */
export async function controlPlaneInputs(): Promise<string[]> {
  const result = await build({ ...BUILD, metafile: true });
  return Object.keys(result.metafile?.inputs ?? {}).map((p) => path.resolve(p));
}

/** The offline vulnerability database the registry image carries (at /opt/labdock/vulndb). */
export const BUNDLED_VULNDB = path.join(RUNTIME, 'registry', 'scanning', 'data', 'alpine-secdb');

/**
 * The node has no node_modules: the API console's Swagger UI files are
 * inlined into the bundle in place of swagger-ui-assets.ts, which reads them
 * from node_modules when the control plane runs from source.
 */
const inlineSwaggerUi: Plugin = {
  name: 'inline-swagger-ui',
  setup(b) {
    b.onLoad({ filter: /[\\/]control-plane[\\/]swagger-ui-assets\.ts$/ }, () => {
      const files = ['swagger-ui-bundle.js', 'swagger-ui.css'];
      const resolve = createRequire(import.meta.url).resolve;
      const texts = Object.fromEntries(files.map((f) => [f, readFileSync(resolve(`swagger-ui-dist/${f}`), 'utf8')]));
      return {
        loader: 'js',
        contents: `const TEXTS = ${JSON.stringify(texts)};\nexport const SWAGGER_UI_FILES = ${JSON.stringify(files)};\nexport function swaggerUiAsset(name) { return TEXTS[name]; }\n`,
      };
    });
  },
};

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
  plugins: [inlineSwaggerUi],
};

export async function bundleControlPlane(): Promise<Buffer> {
  const result = await build(BUILD);
  return Buffer.from(result.outputFiles[0].contents);
}
