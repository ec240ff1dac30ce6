/**
 * Garbage collection in the DTR-style API, admins only:
 *
 *   GET /api/v0/gc                 schedule, next run, whether it runs now, read-only, last run
 *   PUT /api/v0/gc/schedule        {schedule: "0 0 0 * * *" | null}
 *   POST /api/v0/gc/run            collect now; answers with the run's report
 * Each run is also an `onlinegc` job (/api/v0/jobs); the schedule is also the
 * `gcSchedule` field of /api/v0/meta/settings.
 */
import { z } from 'zod';
import { ApiError } from './api-common';
import { CronError } from '../gc/cron';
import { GcBusyError, type GarbageCollector } from '../gc/garbage-collector';
import { route, type ApiRoute } from '../api/api-route';
import { admin } from '../api/permissions';
import type { SettingsSection } from './api-meta';

export const scheduleBody = z.object({ schedule: z.string().max(200).nullable() }).strict();

export function gcRoutes(gc: GarbageCollector): ApiRoute[] {
  const permission = [admin('manage garbage collection')];
  const tag = 'garbage collection';
  return [
    route({ method: 'GET', path: '/gc', tag, summary: 'Schedule, next run, read-only state, last run', permission, handler: () => ({ status: 200, body: gc.status() }) }),
    route({
      method: 'PUT', path: '/gc/schedule', tag, summary: 'Cron schedule, 5 or 6 fields (e.g. "0 0 0 * * *"), or null for none', permission, body: scheduleBody,
      handler: ({ body }) => {
        try {
          gc.setSchedule(body.schedule);
        } catch (err) {
          if (err instanceof CronError) throw new ApiError(400, 'INVALID_SCHEDULE', err.message);
          throw err;
        }
        return { status: 200, body: gc.status() };
      },
    }),
    route({
      method: 'POST', path: '/gc/run', tag, summary: 'Collect now (the registry is read-only meanwhile); answers with the report', permission,
      handler: async ({ principal }) => {
        try {
          const run = await gc.runNow(principal.name);
          return { status: run.status === 'completed' ? 200 : 500, body: run };
        } catch (err) {
          if (err instanceof GcBusyError) throw new ApiError(409, 'GC_RUNNING', err.message);
          throw err;
        }
      },
    }),
  ];
}

/** The garbage-collection part of /api/v0/meta/settings. */
export function gcSettingsSection(gc: GarbageCollector): SettingsSection {
  return {
    schema: z.object({ gcSchedule: z.string().max(200).nullable() }),
    get: () => ({ gcSchedule: gc.status().schedule }),
    set(patch) {
      try {
        gc.setSchedule(patch.gcSchedule as string | null);
      } catch (err) {
        if (err instanceof CronError) throw new ApiError(400, 'INVALID_SCHEDULE', err.message);
        throw err;
      }
    },
  };
}
