/**
 * Webhooks and activity in the DTR-style API. Admins manage every webhook;
 * others the hooks of repositories they manage and namespaces they
 * administer (api/permissions.ts administersKey); a hook of someone else's
 * is not there as far as the caller can tell.
 */
import { z } from 'zod';
import { ApiError, limitParam } from './api-common';
import { route, type ApiRoute } from '../api/api-route';
import { administersKey, admin, repository, signedIn, webhook, type AccessFacts } from '../api/permissions';
import { EVENT_TYPES, type EventType } from '../events/event-bus';
import type { ActivityLog } from '../events/activity-log';
import type { Webhooks } from '../events/webhooks';

export const hookBody = z.object({
  type: z.enum(EVENT_TYPES),
  key: z.string().max(512).default(''),
  endpoint: z.string().url().refine((u) => /^https?:\/\//.test(u), 'endpoint must be an http:// or https:// URL'),
}).strict();
export const hookPatch = z.object({ inactive: z.boolean(), endpoint: hookBody.shape.endpoint }).partial().strict();

export function eventsRoutes(deps: { facts: AccessFacts; webhooks: Webhooks; activity: ActivityLog }): ApiRoute[] {
  const typeFilter = (query: URLSearchParams) => {
    const type = query.get('type') ?? undefined;
    if (type && !(EVENT_TYPES as readonly string[]).includes(type)) throw new ApiError(400, 'INVALID_PARAMETER', `type must be one of ${EVENT_TYPES.join(', ')}`);
    return type as EventType | undefined;
  };
  const hook = (id: string) => deps.webhooks.get(id)!; // authorize() found it
  const tag = 'events';
  return [
    route({
      method: 'GET', path: '/webhooks', tag, summary: 'Webhooks the caller administers', permission: [signedIn],
      handler: ({ principal }) => ({ status: 200, body: { webhooks: deps.webhooks.list().filter((h) => administersKey(principal, h.key, deps.facts)) } }),
    }),
    route({
      method: 'POST', path: '/webhooks', tag, summary: 'POST each matching event to an endpoint (key: repository, namespace, or empty for all)', permission: [webhook('body-key')], body: hookBody,
      handler: ({ principal, body }) => ({ status: 201, body: deps.webhooks.create(body, principal.name) }),
    }),
    route({
      method: 'GET', path: '/webhooks/{id}', tag, summary: 'Read a webhook', permission: [webhook('id')],
      handler: ({ params }) => ({ status: 200, body: hook(params.id) }),
    }),
    route({
      method: 'PATCH', path: '/webhooks/{id}', tag, summary: 'Deactivate a webhook or change its endpoint', permission: [webhook('id')], body: hookPatch,
      handler: ({ params, body }) => ({ status: 200, body: deps.webhooks.update(params.id, body) }),
    }),
    route({
      method: 'DELETE', path: '/webhooks/{id}', tag, summary: 'Delete a webhook', permission: [webhook('id')],
      handler: ({ params }) => (deps.webhooks.remove(params.id), { status: 204, body: null }),
    }),
    route({
      method: 'GET', path: '/webhooks/{id}/deliveries', tag, summary: 'The latest deliveries: attempts, status', permission: [webhook('id')],
      handler: ({ params }) => ({ status: 200, body: { deliveries: deps.webhooks.deliveries(params.id) } }),
    }),
    route({
      method: 'GET', path: '/events', tag, summary: 'All activity, newest first (?type=, ?limit=)', permission: [admin("read all activity: read a repository's events instead")],
      handler: ({ query }) => ({ status: 200, body: { events: deps.activity.list({ type: typeFilter(query), limit: limitParam(query, 100) }) } }),
    }),
    route({
      method: 'GET', path: '/repositories/{namespace}/{repo}/events', tag, summary: "The repository's activity, newest first (?type=, ?limit=)", permission: [repository('view', 'any')],
      handler: ({ params, query }) => {
        const name = `${params.namespace}/${params.repo}`;
        return { status: 200, body: { repository: name, events: deps.activity.list({ repository: name, type: typeFilter(query), limit: limitParam(query, 100) }) } };
      },
    }),
  ];
}
