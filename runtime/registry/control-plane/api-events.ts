/**
 * Webhooks and activity in the DTR-style API.
 *
 *   GET    /api/v0/webhooks                       hooks the caller may manage (admins: all)
 *   POST   /api/v0/webhooks                       {type, key, endpoint}: admins, or admins of the key's repository / namespace
 *   GET|PATCH|DELETE /api/v0/webhooks/:id        PATCH {inactive?, endpoint?}
 *   GET    /api/v0/webhooks/:id/deliveries        the latest delivery attempts
 *   GET    /api/v0/repositories/:ns/:repo/events  the repository's activity, newest first (?limit, ?type)
 *   GET    /api/v0/events                         all activity, admins (?limit, ?type)
 */
import { z } from 'zod';
import type { Accounts } from './accounts';
import { ApiError, limitParam, parse, pathParts, type ApiHandler } from './api-common';
import { EVENT_TYPES } from '../events/event-bus';
import type { ActivityLog } from '../events/activity-log';
import type { Webhook, Webhooks } from '../events/webhooks';
import { accountNameProblem, repositoryPathProblem } from '../policy/names';
import { allowedActions, type Principal } from '../policy/roles';

export const hookBody = z.object({
  type: z.enum(EVENT_TYPES),
  key: z.string().max(512).default(''),
  endpoint: z.string().url().refine((u) => /^https?:\/\//.test(u), 'endpoint must be an http:// or https:// URL'),
}).strict();
export const hookPatch = z.object({ inactive: z.boolean(), endpoint: hookBody.shape.endpoint }).partial().strict();

export function createEventsApi(deps: { accounts: Accounts; webhooks: Webhooks; activity: ActivityLog }): ApiHandler {
  const isAdmin = (p: Principal) => p.globalRole === 'admin';

  /** Admins manage every hook; others the hooks of repositories or namespaces they administer. */
  function manages(p: Principal, key: string): boolean {
    if (isAdmin(p)) return true;
    if (!key) return false;
    if (key.includes('/')) return !repositoryPathProblem(key) && allowedActions(p, deps.accounts.grants(key, p)).has('manage');
    return !accountNameProblem(key) && (p.name === key || deps.accounts.read().orgs.some((o) => o.name === key && o.owners.includes(p.name)));
  }
  function hook(p: Principal, id: string): Webhook {
    const h = deps.webhooks.get(id);
    if (!h || !manages(p, h.key)) throw new ApiError(404, 'NO_SUCH_WEBHOOK', `no webhook ${id}`);
    return h;
  }
  const typeFilter = (query: URLSearchParams) => {
    const type = query.get('type') ?? undefined;
    if (type && !(EVENT_TYPES as readonly string[]).includes(type)) throw new ApiError(400, 'INVALID_PARAMETER', `type must be one of ${EVENT_TYPES.join(', ')}`);
    return type;
  };

  return async function handle(method, pathname, principal, body, query) {
    const parts = pathParts(pathname);
    if (parts[0] === 'webhooks') {
      if (parts.length === 1 && method === 'GET') return { status: 200, body: { webhooks: deps.webhooks.list().filter((h) => manages(principal, h.key)) } };
      if (parts.length === 1 && method === 'POST') {
        const spec = parse(hookBody, body);
        if (!manages(principal, spec.key)) throw new ApiError(403, 'NOT_AUTHORIZED', spec.key ? `${principal.name} does not administer ${spec.key}` : 'only admins create registry-wide webhooks: give a repository or namespace as key');
        return { status: 201, body: deps.webhooks.create(spec, principal.name) };
      }
      if (parts.length === 2) {
        const h = hook(principal, parts[1]);
        if (method === 'GET') return { status: 200, body: h };
        if (method === 'PATCH') return { status: 200, body: deps.webhooks.update(h.id, parse(hookPatch, body)) };
        if (method === 'DELETE') return (deps.webhooks.remove(h.id), { status: 204, body: null });
      }
      if (parts.length === 3 && parts[2] === 'deliveries' && method === 'GET') return { status: 200, body: { deliveries: deps.webhooks.deliveries(hook(principal, parts[1]).id) } };
      return null;
    }
    if (parts[0] === 'events' && parts.length === 1 && method === 'GET') {
      if (!isAdmin(principal)) throw new ApiError(403, 'NOT_AUTHORIZED', 'only admins read all activity: read a repository\'s events instead');
      return { status: 200, body: { events: deps.activity.list({ type: typeFilter(query), limit: limitParam(query, 100) }) } };
    }
    if (parts[0] === 'repositories' && parts.length === 4 && parts[3] === 'events' && method === 'GET') {
      const repository = `${parts[1]}/${parts[2]}`;
      if (repositoryPathProblem(repository) || !allowedActions(principal, deps.accounts.grants(repository, principal)).has('view')) throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${repository}`);
      return { status: 200, body: { repository, events: deps.activity.list({ repository, type: typeFilter(query), limit: limitParam(query, 100) }) } };
    }
    return null;
  };
}
