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
import type { Principal } from '../policy/roles';
import type { SettingsSection } from './api-meta';

export const scheduleBody = z.object({ schedule: z.string().max(200).nullable() }).strict();

export function createGcApi(gc: GarbageCollector) {
  return async function handle(method: string, pathname: string, principal: Principal, body: unknown): Promise<{ status: number; body: unknown } | null> {
    if (pathname !== '/api/v0/gc' && !pathname.startsWith('/api/v0/gc/')) return null;
    if (principal.globalRole !== 'admin') throw new ApiError(403, 'NOT_AUTHORIZED', 'only admins manage garbage collection');
    if (pathname === '/api/v0/gc' && method === 'GET') return { status: 200, body: gc.status() };
    if (pathname === '/api/v0/gc/schedule' && method === 'PUT') {
      const parsed = scheduleBody.safeParse(body);
      if (!parsed.success) throw new ApiError(400, 'INVALID_JSON', 'expected {"schedule": "<cron>"} or {"schedule": null}');
      try {
        gc.setSchedule(parsed.data.schedule);
      } catch (err) {
        if (err instanceof CronError) throw new ApiError(400, 'INVALID_SCHEDULE', err.message);
        throw err;
      }
      return { status: 200, body: gc.status() };
    }
    if (pathname === '/api/v0/gc/run' && method === 'POST') {
      try {
        const run = await gc.runNow(principal.name);
        return { status: run.status === 'completed' ? 200 : 500, body: run };
      } catch (err) {
        if (err instanceof GcBusyError) throw new ApiError(409, 'GC_RUNNING', err.message);
        throw err;
      }
    }
    throw new ApiError(404, 'NOT_FOUND', `no API endpoint ${method} ${pathname}`);
  };
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
