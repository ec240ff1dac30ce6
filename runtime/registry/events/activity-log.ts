/**
 * Every registry event, appended to a JSON-lines file on the registry node's
 * volume: the per-repository activity log of the API, kept across restarts.
 * The file is trimmed to its newest lines when it grows past a bound.
 *
 *   const activity = openActivityLog('/var/lib/labdock-registry/events.jsonl');
 *   bus.subscribe(activity.append);
 *   activity.list({ repository: 'admin/alpine', limit: 50 })   // newest first
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { repositoryOf, type EventType, type PublishedEvent } from './event-bus';

/** A lab session produces hundreds of events at most; beyond this many, only the newest KEEP are kept. */
const MAX_LINES = 5000;
const KEEP = 2000;

export function openActivityLog(file: string) {
  let lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

  function all(): PublishedEvent[] {
    if (!existsSync(file)) return [];
    const out: PublishedEvent[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as PublishedEvent);
      } catch {
        // A line cut short by a crash: skip it, keep the rest.
      }
    }
    return out;
  }

  return {
    append(event: PublishedEvent): void {
      appendFileSync(file, `${JSON.stringify(event)}\n`);
      if (++lines > MAX_LINES) {
        const kept = all().slice(-KEEP);
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
        renameSync(tmp, file);
        lines = kept.length;
      }
    },
    /** Newest first. */
    /** Newest first; with a type, typed as events of that type. */
    list<T extends EventType = EventType>(filter: { repository?: string; type?: T; limit?: number } = {}): (PublishedEvent & { type: T })[] {
      return all()
        .filter((e): e is (PublishedEvent & { type: T }) => (!filter.repository || repositoryOf(e) === filter.repository) && (!filter.type || e.type === filter.type))
        .reverse()
        .slice(0, filter.limit ?? 100);
    },
  };
}

export type ActivityLog = ReturnType<typeof openActivityLog>;
