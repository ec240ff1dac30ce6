/**
 * Jobs the registry runs in the background — garbage collection now, scans and
 * database updates as they come — with their state as DTR's `/api/v0/jobs`
 * reported it (running, done, errored), persisted on the registry node's
 * volume. The newest KEPT jobs are kept.
 *
 *   const jobs = openJobLog('/var/lib/labdock-registry/jobs.json');
 *   const job = jobs.start('onlinegc', { trigger: 'schedule' });
 *   jobs.finish(job.id, 'done', { freedBytes: 1234 });
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../storage/json-file';

export type JobStatus = 'running' | 'done' | 'errored';

export interface Job {
  id: string;
  action: string;
  status: JobStatus;
  parameters: Record<string, unknown>;
  startedAt: string;
  lastUpdated: string;
  endedAt: string | null;
  result: Record<string, unknown> | null;
}

const KEPT = 200;

export function openJobLog(file: string) {
  const read = (): Job[] => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Job[]) : []);
  const write = (jobs: Job[]) => writeJsonAtomic(file, jobs.slice(-KEPT));

  // Jobs that were running when the registry stopped did not finish: say so.
  const stale = read();
  if (stale.some((j) => j.status === 'running')) {
    const now = new Date().toISOString();
    write(stale.map((j) => (j.status === 'running' ? { ...j, status: 'errored', endedAt: now, lastUpdated: now, result: { error: 'the registry restarted while this job ran' } } : j)));
  }

  return {
    start(action: string, parameters: Record<string, unknown> = {}): Job {
      const now = new Date().toISOString();
      const job: Job = { id: randomUUID(), action, status: 'running', parameters, startedAt: now, lastUpdated: now, endedAt: null, result: null };
      write([...read(), job]);
      return job;
    },
    finish(id: string, status: Exclude<JobStatus, 'running'>, result: Record<string, unknown>): void {
      const now = new Date().toISOString();
      write(read().map((j) => (j.id === id ? { ...j, status, result, endedAt: now, lastUpdated: now } : j)));
    },
    /** Newest first. */
    list(filter: { action?: string; status?: string; limit?: number } = {}): Job[] {
      return read().filter((j) => (!filter.action || j.action === filter.action) && (!filter.status || j.status === filter.status)).reverse().slice(0, filter.limit ?? 50);
    },
    get: (id: string) => read().find((j) => j.id === id),
  };
}

export type JobLog = ReturnType<typeof openJobLog>;
