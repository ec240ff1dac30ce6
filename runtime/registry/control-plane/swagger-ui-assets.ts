/**
 * Swagger UI's browser bundle and stylesheet (swagger-ui-dist), served by the
 * registry itself so the API console works offline. Read from node_modules
 * here; the registry image's bundle replaces this module with the same two
 * files inlined (runtime/images/registry-bundle.ts), as the node has no
 * node_modules.
 *
 *   swaggerUiAsset('swagger-ui-bundle.js')   // the file's text
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const;
export type SwaggerUiFile = (typeof SWAGGER_UI_FILES)[number];

const cache = new Map<SwaggerUiFile, string>();

export function swaggerUiAsset(name: SwaggerUiFile): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`), 'utf8');
    cache.set(name, text);
  }
  return text;
}
