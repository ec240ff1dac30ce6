/**
 * Registry-wide settings, jobs and logs in the DTR-style API, admins only.
 *
 *   GET  /api/v0/meta/settings           every section's settings in one object
 *   POST /api/v0/meta/settings           a partial object; each field goes to the section that owns it
 *   GET  /api/v0/jobs                    ?action=onlinegc&status=done&limit=20, newest first
 *   GET  /api/v0/jobs/:id
 *   GET  /api/v0/meta/logs               the components that have logs
 *   GET  /api/v0/meta/logs/:component    ?limit=200 — its latest lines
 *   GET  /api/v0/meta/cluster_status     the registry's parts and their health
 *
 * Settings come from sections (garbage collection here; scanning adds its own):
 * each owns some fields, validates them, and applies them.
 */
import { z } from 'zod';
import { ApiError, limitParam } from './api-common';
import { route, type ApiRoute } from '../api/api-route';
import { admin } from '../api/permissions';
import type { JobLog } from '../jobs/job-log';
import type { ComponentLogs } from '../logs/component-logs';

export interface SettingsSection {
  /** The fields this section owns, all optional. */
  schema: z.ZodObject<z.ZodRawShape>;
  get(): Record<string, unknown>;
  /** Applies validated fields; throws ApiError for values that parse but cannot be applied. */
  set(patch: Record<string, unknown>): void;
}

export function metaRoutes(deps: { sections: SettingsSection[]; jobs: JobLog; logs: ComponentLogs; storageHealthy: () => Promise<boolean> }): ApiRoute[] {
  const schema = z.object(Object.assign({}, ...deps.sections.map((s) => s.schema.partial().shape))).strict();
  const settings = () => Object.assign({}, ...deps.sections.map((s) => s.get()));
  const permission = [admin('read and change registry settings, jobs and logs')];
  const tag = 'meta';
  return [
    route({
      method: 'GET', path: '/meta/cluster_status', tag, summary: "The registry's parts and their health", permission: [admin('read the cluster status')],
      handler: async () => {
        const storage = await deps.storageHealthy();
        return { status: 200, body: { healthy: storage, replicas: { dtr: { controlPlane: 'ok', storage: storage ? 'ok' : 'unavailable', uptimeSeconds: Math.round(process.uptime()) } } } };
      },
    }),
    route({ method: 'GET', path: '/meta/settings', tag, summary: 'Registry settings', permission, handler: () => ({ status: 200, body: settings() }) }),
    route({
      method: 'POST', path: '/meta/settings', tag, summary: 'Change some settings', permission, body: schema,
      handler: ({ body }) => {
        const patch = body as Record<string, unknown>;
        for (const section of deps.sections) {
          const mine = Object.fromEntries(Object.entries(patch).filter(([k]) => k in section.schema.shape));
          if (Object.keys(mine).length) section.set(mine);
        }
        return { status: 200, body: settings() };
      },
    }),
    route({
      method: 'GET', path: '/jobs', tag, summary: 'Background jobs, newest first (?action=, ?status=, ?limit=)', permission,
      handler: ({ query }) => ({ status: 200, body: { jobs: deps.jobs.list({ action: query.get('action') ?? undefined, status: query.get('status') ?? undefined, limit: limitParam(query, 50) }) } }),
    }),
    route({
      method: 'GET', path: '/jobs/{id}', tag, summary: 'One job', permission,
      handler: ({ params: { id } }) => {
        const job = deps.jobs.get(id);
        if (!job) throw new ApiError(404, 'NO_SUCH_JOB', `no job ${id}`);
        return { status: 200, body: job };
      },
    }),
    route({ method: 'GET', path: '/meta/logs', tag, summary: 'Components with logs', permission, handler: () => ({ status: 200, body: { components: deps.logs.components() } }) }),
    route({
      method: 'GET', path: '/meta/logs/{component}', tag, summary: "A component's latest log lines (?limit=)", permission,
      handler: ({ params: { component }, query }) => {
        const lines = deps.logs.tail(component, limitParam(query, 200, 5000));
        if (!lines) throw new ApiError(404, 'NO_SUCH_COMPONENT', `no component ${component}: one of ${deps.logs.components().join(', ')}`);
        return { status: 200, body: { component, lines } };
      },
    }),
  ];
}
