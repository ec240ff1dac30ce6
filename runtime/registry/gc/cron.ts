/**
 * Cron schedules for garbage collection and vulnerability-database syncs, as
 * DTR took them: five fields (minute hour day-of-month month day-of-week) or
 * six with seconds first (seed 001 enters `0 0 0 * * *`, every day at
 * midnight). Parsing and the next run are croner's; this file fixes the
 * choices DTR made — 5 or 6 fields only, UTC, either day field may match when
 * both are restricted — and turns croner's errors into CronError, which the
 * API answers with a 400.
 *
 *   const schedule = parseCron('0 0 0 * * *');
 *   nextRun(schedule, new Date())   // the next midnight, UTC
 */
import { Cron } from 'croner';

export interface CronSchedule {
  source: string;
  cron: Cron;
}

export class CronError extends Error {}

export function parseCron(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw new CronError(`"${source}" has ${parts.length} fields: a schedule has 5 (minute hour day month weekday) or 6 (seconds first)`);
  try {
    // paused: this object only answers "when next?"; the callers keep their own timers.
    return { source, cron: new Cron(source, { timezone: 'UTC', paused: true, mode: '5-or-6-parts', domAndDow: false }) };
  } catch (err) {
    throw new CronError(`"${source}": ${(err as Error).message.replace(/^CronPattern:\s*/, '')}`);
  }
}

/** The first time strictly after `after` that the schedule fires; null if never (e.g. 31 FEB). */
export function nextRun(s: CronSchedule, after: Date): Date | null {
  return s.cron.nextRun(after);
}
