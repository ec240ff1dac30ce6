/**
 * Garbage collection — DTR's "hard delete": Distribution's own collector
 * (`docker-registry garbage-collect --delete-untagged`) frees every manifest
 * no tag points to and every blob no manifest references, after soft deletes
 * removed tags. It runs on a cron schedule (settings persisted on the
 * registry node's volume) or on demand, with the registry read-only meanwhile.
 *
 *   const gc = createGarbageCollector({ storage, gate, settingsFile, collect: () => runDistributionGc(config) });
 *   gc.setSchedule('0 0 0 * * *');   // every midnight, UTC
 *   await gc.runNow()                 // { status: 'completed', freedBytes, blobsDeleted, ... }
 */
import { execFile } from 'node:child_process';
import { nextRun, parseCron } from './cron';
import type { WriteGate } from './write-gate';
import type { RegistryStorage } from '../storage/registry-storage';
import type { JobLog } from '../jobs/job-log';
import type { EventBus } from '../events/event-bus';
import { openJsonStore } from '../storage/json-file';

export interface GcRun {
  trigger: 'schedule' | 'manual';
  startedAt: string;
  finishedAt: string;
  status: 'completed' | 'failed';
  freedBytes: number;
  blobsDeleted: number;
  /** How long the registry was read-only, draining writes included. */
  readOnlyMs: number;
  error?: string;
}

interface GcState {
  schedule: string | null;
  lastRun: GcRun | null;
}

export interface GarbageCollectorOptions {
  storage: RegistryStorage;
  gate: WriteGate;
  settingsFile: string;
  /** Runs Distribution's collector; resolves with its output, rejects when it fails. */
  collect: () => Promise<string>;
  /** Each run is an `onlinegc` job; a completed one publishes GC_COMPLETED. */
  jobs: JobLog;
  bus: EventBus;
  log?: (message: string) => void;
}

/** Writes under way get this long to finish before a collection gives up (and the registry is writable again). */
const DRAIN_TIMEOUT_MS = 60_000;
/** setTimeout's ceiling is ~24.8 days; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class GcBusyError extends Error {}

export function createGarbageCollector(options: GarbageCollectorOptions) {
  const log = options.log ?? ((m: string) => console.log(`[gc] ${m}`));
  const state = openJsonStore<GcState>(options.settingsFile, () => ({ schedule: null, lastRun: null }), { merge: true });
  const read = (): Readonly<GcState> => state.read();

  let running: Promise<GcRun> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let nextAt: Date | null = null;

  function arm() {
    if (timer) clearTimeout(timer);
    timer = null;
    const { schedule } = read();
    nextAt = schedule ? nextRun(parseCron(schedule), new Date()) : null;
    if (!nextAt) return;
    const wait = nextAt.getTime() - Date.now();
    timer = setTimeout(() => {
      if (wait > MAX_TIMER_MS) return arm();
      run('schedule').catch((err: Error) => log(`scheduled collection: ${err.message}`)).finally(arm);
    }, Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    timer.unref();
  }

  async function collect(trigger: GcRun['trigger'], actor: string): Promise<GcRun> {
    const startedAt = new Date();
    const job = options.jobs.start('onlinegc', { trigger });
    const before = options.storage.blobUsage();
    let result: Pick<GcRun, 'status' | 'error'> = { status: 'completed' };
    try {
      await options.gate.close(DRAIN_TIMEOUT_MS);
      try {
        if (!options.storage.isEmpty()) await options.collect();
      } finally {
        options.gate.open();
      }
    } catch (err) {
      result = { status: 'failed', error: (err as Error).message };
    }
    const after = options.storage.blobUsage();
    const finishedAt = new Date();
    const done: GcRun = {
      trigger,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      freedBytes: Math.max(0, before.bytes - after.bytes),
      blobsDeleted: Math.max(0, before.blobs - after.blobs),
      readOnlyMs: finishedAt.getTime() - startedAt.getTime(),
      ...result,
    };
    state.update((s) => void (s.lastRun = done));
    const { status, error, ...numbers } = done;
    options.jobs.finish(job.id, status === 'completed' ? 'done' : 'errored', { ...numbers, ...(error ? { error } : {}) });
    if (status === 'completed') options.bus.publish({ type: 'GC_COMPLETED', actor, details: { freedBytes: done.freedBytes, blobsDeleted: done.blobsDeleted, jobId: job.id } });
    log(`${trigger} collection ${done.status}: ${done.blobsDeleted} blobs, ${done.freedBytes} bytes freed in ${done.readOnlyMs} ms${done.error ? ` (${done.error})` : ''}`);
    return done;
  }

  function run(trigger: GcRun['trigger'], actor = ''): Promise<GcRun> {
    if (running) throw new GcBusyError('garbage collection is already running');
    running = collect(trigger, actor).finally(() => (running = null));
    return running;
  }

  arm();

  return {
    /** `null` turns the schedule off. Throws CronError for a schedule that cannot be read. */
    setSchedule(schedule: string | null): void {
      if (schedule !== null) parseCron(schedule);
      state.update((s) => void (s.schedule = schedule));
      arm();
    },
    /** Collects now, on behalf of `actor`. */
    runNow: (actor: string) => run('manual', actor),
    status() {
      const current = read();
      return { schedule: current.schedule, nextRunAt: nextAt?.toISOString() ?? null, running: running !== null, readOnly: options.gate.readOnly, lastRun: current.lastRun };
    },
    stop() {
      if (timer) clearTimeout(timer);
    },
  };
}

export type GarbageCollector = ReturnType<typeof createGarbageCollector>;

/** Distribution's collector, run beside it in the registry node. */
export function distributionCollector(configFile: string): () => Promise<string> {
  return () => new Promise((resolve, reject) => {
    execFile('docker-registry', ['garbage-collect', '--delete-untagged', configFile], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker-registry garbage-collect failed: ${(stderr || err.message).trim().split('\n').pop()}`));
      else resolve(stdout + stderr);
    });
  });
}
