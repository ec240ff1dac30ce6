/**
 * The registry's API docs and interactive console (seed 001 Task 6), served
 * by the registry itself without credentials — they are documentation; every
 * call the console makes is authenticated like any other:
 *
 *   GET /api/v0/docs/               the console: every route, its parameters and body, a Send button
 *   GET /api/v0/docs/console.js     its script (no inline script: the page's CSP forbids it)
 *   GET /api/v0/docs/openapi.json   the OpenAPI document
 *
 * The console works under any path prefix (the labdock app's proxy serves it
 * under the session's URL), because it only uses relative URLs.
 */
import type { ServerResponse } from 'node:http';
import { openApiDocument } from '../api/openapi';
import type { ApiRoute } from '../api/api-route';
import { CONSOLE_HTML, CONSOLE_JS } from './console-assets';

export function serveApiDocs(pathname: string, res: ServerResponse, host: string, routes: readonly ApiRoute[]): boolean {
  const security = {
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
  if (pathname === '/api/v0/docs') {
    res.writeHead(301, { location: '/api/v0/docs/' }).end();
    return true;
  }
  if (pathname === '/api/v0/docs/') {
    res.writeHead(200, { ...security, 'content-type': 'text/html; charset=utf-8' }).end(CONSOLE_HTML);
    return true;
  }
  if (pathname === '/api/v0/docs/console.js') {
    res.writeHead(200, { ...security, 'content-type': 'text/javascript; charset=utf-8' }).end(CONSOLE_JS);
    return true;
  }
  if (pathname === '/api/v0/docs/openapi.json') {
    res.writeHead(200, { ...security, 'content-type': 'application/json' }).end(JSON.stringify(openApiDocument(host, routes), null, 2));
    return true;
  }
  return false;
}
