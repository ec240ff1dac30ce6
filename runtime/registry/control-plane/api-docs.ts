/**
 * The registry's API docs and interactive console (seed 001 Task 6), served
 * by the registry itself without credentials — they are documentation; every
 * call the console makes is authenticated like any other. The console is
 * Swagger UI (swagger-ui-dist), served from here: no CDN, and a strict CSP.
 *
 *   GET /api/v0/docs/                      the console: every route, its parameters and body, Authorize, Try it out
 *   GET /api/v0/docs/console.js            starts Swagger UI on the document
 *   GET /api/v0/docs/swagger-ui-bundle.js  Swagger UI
 *   GET /api/v0/docs/swagger-ui.css
 *   GET /api/v0/docs/openapi.json          the OpenAPI document (api/openapi.ts)
 */
import type { ServerResponse } from 'node:http';
import { openApiDocument } from '../api/openapi';
import type { ApiRoute } from '../api/api-route';
import { CONSOLE_HTML, CONSOLE_JS } from './console-assets';
import { SWAGGER_UI_FILES, swaggerUiAsset, type SwaggerUiFile } from './swagger-ui-assets';

const SECURITY = {
  // Swagger UI sets inline styles and draws its icons as data: images; scripts only from here.
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

export function serveApiDocs(pathname: string, res: ServerResponse, host: string, routes: readonly ApiRoute[]): boolean {
  const send = (type: string, body: string) => void res.writeHead(200, { ...SECURITY, 'content-type': type }).end(body);
  if (pathname === '/api/v0/docs') {
    res.writeHead(301, { location: '/api/v0/docs/' }).end();
    return true;
  }
  const file = pathname.slice('/api/v0/docs/'.length);
  if (file === '') send('text/html; charset=utf-8', CONSOLE_HTML);
  else if (file === 'console.js') send('text/javascript; charset=utf-8', CONSOLE_JS);
  else if (file === 'openapi.json') send('application/json', JSON.stringify(openApiDocument(host, routes), null, 2));
  else if ((SWAGGER_UI_FILES as readonly string[]).includes(file)) send(file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8', swaggerUiAsset(file as SwaggerUiFile));
  else return false;
  return true;
}
