/**
 * The OpenAPI 3.1 document of the registry's /api/v0 (seed 001 Task 6: API
 * docs and a console), generated from the route table itself: paths, who may
 * call each (from its declared permission), and request bodies from the very
 * zod schemas the dispatcher parses with — the document cannot drift from
 * what the API does.
 *
 *   openApiDocument('dtr.labdock', routes)   // served as /api/v0/docs/openapi.json
 */
import { z } from 'zod';
import type { ApiRoute } from './api-route';
import { describePermission } from './permissions';

const ERROR = {
  type: 'object',
  properties: { errors: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
};

export function openApiDocument(host: string, routes: readonly ApiRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      tags: [r.tag],
      summary: r.summary,
      description: `Who may call it: ${describePermission(r.permission)}.`,
      'x-labdock-permission': r.permission,
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
      responses: {
        '200': { description: 'OK' },
        '4XX': { description: 'Refused, with the reason', content: { 'application/json': { schema: ERROR } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `labdock registry API (${host})`, version: 'v0', description: "DTR's API v0 paths and field names, as labdock's bundled registry serves them. Authenticate with Basic credentials or a Bearer token from /auth/token." },
    servers: [{ url: '/api/v0' }],
    components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ basic: [] }, { bearer: [] }],
    paths,
  };
}
