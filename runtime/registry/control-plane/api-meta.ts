/**
 * Registry-wide settings, jobs and logs in the DTR-style API, admins only.
 *
 *   GET  /api/v0/meta/settings           every section's settings in one object
 *   POST /api/v0/meta/settings           a partial object; each field goes to the section that owns it
 *   GET  /api/v0/jobs                    ?action=onlinegc&status=done&limit=20, newest first
 *   GET  /api/v0/jobs/:id
 *   GET  /api/v0/meta/logs               the components that have logs
 *   GET  /api/v0/meta/logs/:component    ?limit=200 — its latest lines
 *
 * Settings come from sections (garbage collection here; scanning adds its own):
 * each owns some fields, validates them, and applies them.
 */
import { z } from 'zod';
import { ApiError, limitParam, parse, pathParts, type ApiHandler } from './api-common';
import type { JobLog } from '../jobs/job-log';
import type { ComponentLogs } from '../logs/component-logs';

export interface SettingsSection {
  /** The fields this section owns, all optional. */
  schema: z.ZodObject<z.ZodRawShape>;
  get(): Record<string, unknown>;
  /** Applies validated fields; throws ApiError for values that parse but cannot be applied. */
  set(patch: Record<string, unknown>): void;
}

export function createMetaApi(deps: { sections: SettingsSection[]; jobs: JobLog; logs: ComponentLogs }): ApiHandler {
  const schema = z.object(Object.assign({}, ...deps.sections.map((s) => s.schema.partial().shape))).strict();
  const settings = () => Object.assign({}, ...deps.sections.map((s) => s.get()));

  return async function handle(method, pathname, principal, body, query) {
    const parts = pathParts(pathname);
    const owned = (parts[0] === 'meta' && (parts[1] === 'settings' || parts[1] === 'logs')) || parts[0] === 'jobs';
    if (!owned) return null;
    if (principal.globalRole !== 'admin') throw new ApiError(403, 'NOT_AUTHORIZED', 'only admins read and change registry settings, jobs and logs');

    if (parts[1] === 'settings' && parts.length === 2) {
      if (method === 'GET') return { status: 200, body: settings() };
      if (method === 'POST') {
        const patch = parse(schema, body) as Record<string, unknown>;
        for (const section of deps.sections) {
          const mine = Object.fromEntries(Object.entries(patch).filter(([k]) => k in section.schema.shape));
          if (Object.keys(mine).length) section.set(mine);
        }
        return { status: 200, body: settings() };
      }
    }
    if (parts[0] === 'jobs' && method === 'GET') {
      if (parts.length === 1) return { status: 200, body: { jobs: deps.jobs.list({ action: query.get('action') ?? undefined, status: query.get('status') ?? undefined, limit: limitParam(query, 50) }) } };
      if (parts.length === 2) {
        const job = deps.jobs.get(parts[1]);
        if (!job) throw new ApiError(404, 'NO_SUCH_JOB', `no job ${parts[1]}`);
        return { status: 200, body: job };
      }
    }
    if (parts[1] === 'logs' && method === 'GET') {
      if (parts.length === 2) return { status: 200, body: { components: deps.logs.components() } };
      if (parts.length === 3) {
        const lines = deps.logs.tail(parts[2], limitParam(query, 200, 5000));
        if (!lines) throw new ApiError(404, 'NO_SUCH_COMPONENT', `no component ${parts[2]}: one of ${deps.logs.components().join(', ')}`);
        return { status: 200, body: { component: parts[2], lines } };
      }
    }
    return null;
  };
}
