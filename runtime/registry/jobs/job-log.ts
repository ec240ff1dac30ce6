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
import { openJsonStore } from '../storage/json-file';

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
  const store = openJsonStore<Job[]>(file, () => []);
  const read = (): readonly Job[] => store.read();
  /** Only the latest KEPT jobs stay. */
  const update = (change: (jobs: Job[]) => void) => store.update((jobs) => {
    change(jobs);
    jobs.splice(0, Math.max(0, jobs.length - KEPT));
  });

  // Jobs that were running when the registry stopped did not finish: say so.
  if (read().some((j) => j.status === 'running')) {
    const now = new Date().toISOString();
    update((jobs) => {
      for (const j of jobs) if (j.status === 'running') Object.assign(j, { status: 'errored', endedAt: now, lastUpdated: now, result: { error: 'the registry restarted while this job ran' } });
    });
  }

  return {
    start(action: string, parameters: Record<string, unknown> = {}): Job {
      const now = new Date().toISOString();
      const job: Job = { id: randomUUID(), action, status: 'running', parameters, startedAt: now, lastUpdated: now, endedAt: null, result: null };
      update((jobs) => void jobs.push(job));
      return job;
    },
    finish(id: string, status: Exclude<JobStatus, 'running'>, result: Record<string, unknown>): void {
      const now = new Date().toISOString();
      update((jobs) => {
        for (const j of jobs) if (j.id === id) Object.assign(j, { status, result, endedAt: now, lastUpdated: now });
      });
    },
    /** Newest first. */
    list(filter: { action?: string; status?: string; limit?: number } = {}): Job[] {
      return read().filter((j) => (!filter.action || j.action === filter.action) && (!filter.status || j.status === filter.status)).reverse().slice(0, filter.limit ?? 50);
    },
    get: (id: string) => read().find((j) => j.id === id),
  };
}

export type JobLog = ReturnType<typeof openJobLog>;
