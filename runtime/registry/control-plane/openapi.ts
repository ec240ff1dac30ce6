/**
 * The OpenAPI 3.1 document of the registry's /api/v0 (seed 001 Task 6: API
 * docs and a console). Routes are listed once, here; request bodies are the
 * very zod schemas the handlers parse with, converted to JSON Schema, so the
 * document cannot drift from what the API accepts. A test calls every route
 * listed here against a real registry.
 *
 *   openApiDocument('dtr.labdock')   // served as /api/v0/docs/openapi.json
 */
import { z } from 'zod';
import { accountBody, accountPatch } from './api-accounts';
import { accessLevel, createBody, patchBody } from './api-repositories';
import { hookBody, hookPatch } from './api-events';
import { scheduleBody } from './api-gc';

export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  tag: string;
  summary: string;
  body?: z.ZodType;
  /** Who may call it, in words. */
  access: string;
}

const accessBody = z.object({ accessLevel }).strict();
const teamBody = z.object({ name: z.string(), description: z.string().max(500).optional() }).strict();
const settingsBody = z.object({ gcSchedule: z.string().nullable().optional() }).catchall(z.unknown());

export const ROUTES: RouteDoc[] = [
  { method: 'GET', path: '/accounts', tag: 'accounts', summary: 'List users and organizations (global roles for admins)', access: 'signed in' },
  { method: 'POST', path: '/accounts', tag: 'accounts', summary: 'Create a user (with a global role) or an organization', body: accountBody, access: 'admins' },
  { method: 'GET', path: '/accounts/{name}', tag: 'accounts', summary: 'Read an account', access: 'signed in' },
  { method: 'PATCH', path: '/accounts/{name}', tag: 'accounts', summary: 'Change a global role (admins), a password (admins or the user), a full name', body: accountPatch, access: 'admins, or the user' },
  { method: 'DELETE', path: '/accounts/{name}', tag: 'accounts', summary: 'Delete an account (an organization must have no repositories)', access: 'admins' },
  { method: 'GET', path: '/accounts/{org}/teams', tag: 'teams', summary: "List an organization's teams", access: 'members, owners, admins' },
  { method: 'POST', path: '/accounts/{org}/teams', tag: 'teams', summary: 'Create a team', body: teamBody, access: 'owners, admins' },
  { method: 'GET', path: '/accounts/{org}/teams/{team}', tag: 'teams', summary: 'Read a team', access: 'members, owners, admins' },
  { method: 'DELETE', path: '/accounts/{org}/teams/{team}', tag: 'teams', summary: 'Delete a team and every access it had', access: 'owners, admins' },
  { method: 'GET', path: '/accounts/{org}/teams/{team}/members', tag: 'teams', summary: "List a team's members", access: 'members, owners, admins' },
  { method: 'GET', path: '/accounts/{org}/teams/{team}/members/{user}', tag: 'teams', summary: '200 when the user is a member, 404 when not', access: 'members, owners, admins' },
  { method: 'PUT', path: '/accounts/{org}/teams/{team}/members/{user}', tag: 'teams', summary: 'Add a member', access: 'owners, admins' },
  { method: 'DELETE', path: '/accounts/{org}/teams/{team}/members/{user}', tag: 'teams', summary: 'Remove a member', access: 'owners, admins' },
  { method: 'GET', path: '/repositories', tag: 'repositories', summary: 'Repositories the caller may see', access: 'signed in' },
  { method: 'GET', path: '/repositories/{namespace}', tag: 'repositories', summary: "A namespace's repositories, as far as the caller may see", access: 'signed in' },
  { method: 'POST', path: '/repositories/{namespace}', tag: 'repositories', summary: 'Create a repository with its settings', body: createBody, access: 'the namespace owner, organization owners, admins' },
  { method: 'GET', path: '/repositories/{namespace}/{repo}', tag: 'repositories', summary: 'Read a repository and its settings', access: 'view' },
  { method: 'PATCH', path: '/repositories/{namespace}/{repo}', tag: 'repositories', summary: 'Change visibility, descriptions, scan on push, immutability, tag limit', body: patchBody, access: 'repository admin' },
  { method: 'DELETE', path: '/repositories/{namespace}/{repo}', tag: 'repositories', summary: 'Soft delete the repository (its blobs go at the next garbage collection)', access: 'repository admin' },
  { method: 'GET', path: '/repositories/{namespace}/{repo}/tags', tag: 'tags', summary: 'Tags, newest push first: name, digest, updatedAt', access: 'view' },
  { method: 'DELETE', path: '/repositories/{namespace}/{repo}/tags/{tag}', tag: 'tags', summary: 'Soft delete one tag (its other tags and the manifest stay until garbage collection)', access: 'repository admin' },
  { method: 'GET', path: '/repositories/{namespace}/{repo}/events', tag: 'events', summary: "The repository's activity, newest first (?type=, ?limit=)", access: 'view' },
  { method: 'GET', path: '/repositories/{namespace}/{repo}/teamAccess', tag: 'team access', summary: 'Teams with access to the repository', access: 'organization owners, admins' },
  { method: 'GET', path: '/repositories/{namespace}/{repo}/teamAccess/{team}', tag: 'team access', summary: "A team's access to the repository", access: 'organization owners, admins' },
  { method: 'PUT', path: '/repositories/{namespace}/{repo}/teamAccess/{team}', tag: 'team access', summary: "Set a team's access: read-only, read-write or admin", body: accessBody, access: 'organization owners, admins' },
  { method: 'DELETE', path: '/repositories/{namespace}/{repo}/teamAccess/{team}', tag: 'team access', summary: "Remove a team's access", access: 'organization owners, admins' },
  { method: 'GET', path: '/repositoryNamespaces/{namespace}/teamAccess', tag: 'team access', summary: 'Teams with access to every repository of the organization', access: 'organization owners, admins' },
  { method: 'GET', path: '/repositoryNamespaces/{namespace}/teamAccess/{team}', tag: 'team access', summary: "A team's access to the whole organization", access: 'organization owners, admins' },
  { method: 'PUT', path: '/repositoryNamespaces/{namespace}/teamAccess/{team}', tag: 'team access', summary: "Set a team's access to every repository of the organization", body: accessBody, access: 'organization owners, admins' },
  { method: 'DELETE', path: '/repositoryNamespaces/{namespace}/teamAccess/{team}', tag: 'team access', summary: "Remove a team's organization-wide access", access: 'organization owners, admins' },
  { method: 'GET', path: '/webhooks', tag: 'events', summary: 'Webhooks the caller administers', access: 'signed in' },
  { method: 'POST', path: '/webhooks', tag: 'events', summary: 'POST each matching event to an endpoint (key: repository, namespace, or empty for all)', body: hookBody, access: 'admins, or admins of the key' },
  { method: 'GET', path: '/webhooks/{id}', tag: 'events', summary: 'Read a webhook', access: 'admins, or admins of its key' },
  { method: 'PATCH', path: '/webhooks/{id}', tag: 'events', summary: 'Deactivate a webhook or change its endpoint', body: hookPatch, access: 'admins, or admins of its key' },
  { method: 'DELETE', path: '/webhooks/{id}', tag: 'events', summary: 'Delete a webhook', access: 'admins, or admins of its key' },
  { method: 'GET', path: '/webhooks/{id}/deliveries', tag: 'events', summary: 'The latest deliveries: attempts, status', access: 'admins, or admins of its key' },
  { method: 'GET', path: '/events', tag: 'events', summary: 'All activity, newest first (?type=, ?limit=)', access: 'admins' },
  { method: 'GET', path: '/gc', tag: 'garbage collection', summary: 'Schedule, next run, read-only state, last run', access: 'admins' },
  { method: 'PUT', path: '/gc/schedule', tag: 'garbage collection', summary: 'Cron schedule, 5 or 6 fields (e.g. "0 0 0 * * *"), or null for none', body: scheduleBody, access: 'admins' },
  { method: 'POST', path: '/gc/run', tag: 'garbage collection', summary: 'Collect now (the registry is read-only meanwhile); answers with the report', access: 'admins' },
  { method: 'GET', path: '/jobs', tag: 'meta', summary: 'Background jobs, newest first (?action=, ?status=, ?limit=)', access: 'admins' },
  { method: 'GET', path: '/jobs/{id}', tag: 'meta', summary: 'One job', access: 'admins' },
  { method: 'GET', path: '/meta/settings', tag: 'meta', summary: 'Registry settings', access: 'admins' },
  { method: 'POST', path: '/meta/settings', tag: 'meta', summary: 'Change some settings', body: settingsBody, access: 'admins' },
  { method: 'GET', path: '/meta/logs', tag: 'meta', summary: 'Components with logs', access: 'admins' },
  { method: 'GET', path: '/meta/logs/{component}', tag: 'meta', summary: "A component's latest log lines (?limit=)", access: 'admins' },
  { method: 'GET', path: '/meta/cluster_status', tag: 'meta', summary: "The registry's parts and their health", access: 'admins' },
];

const ERROR = {
  type: 'object',
  properties: { errors: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
};

/** `extra` routes come from optional modules (scanning, promotion) that document themselves. */
export function openApiDocument(host: string, extra: RouteDoc[] = []) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of [...ROUTES, ...extra]) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      tags: [r.tag],
      summary: r.summary,
      description: `Who may call it: ${r.access}.`,
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
