/**
 * Cron schedules for garbage collection, as DTR took them: five fields
 * (minute hour day-of-month month day-of-week) or six with seconds first
 * (seed 001 enters `0 0 0 * * *`, every day at midnight). Each field takes
 * `*`, numbers, ranges `a-b`, steps (`*` or a range, then `/n`) and lists; months and
 * weekdays also take names (JAN, MON). As in cron, when both day fields are
 * restricted a day matching either one runs. Times are UTC.
 *
 *   const schedule = parseCron('0 0 0 * * *');
 *   nextRun(schedule, new Date())   // the next midnight, UTC
 */
export interface CronSchedule {
  source: string;
  seconds: number[];
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: either may match. */
  dayEither: boolean;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

export class CronError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, name: string, min: number, max: number, names: string[] = [], nameBase = 0): number[] {
  const value = (s: string) => {
    const i = names.indexOf(s.toUpperCase());
    const n = i >= 0 ? i + nameBase : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new CronError(`${name}: "${s}" is not between ${min} and ${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`${name}: cannot read "${part}"`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new CronError(`${name}: a step must be at least 1`);
    let [from, to] = [min, max];
    if (m[1] !== '*') {
      const range = m[1].split('-');
      if (range.length > 2) throw new CronError(`${name}: cannot read "${part}"`);
      from = value(range[0]);
      to = range.length === 2 ? value(range[1]) : m[2] === undefined ? from : max;
      if (to < from) throw new CronError(`${name}: ${from}-${to} runs backwards`);
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

export function parseCron(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw new CronError(`"${source}" has ${parts.length} fields: a schedule has 5 (minute hour day month weekday) or 6 (seconds first)`);
  const [sec, min, hour, day, month, weekday] = parts.length === 6 ? parts : ['0', ...parts];
  // Weekday 7 is Sunday too.
  const weekdays = new Set(field(weekday, 'day of week', 0, 7, WEEKDAYS).map((d) => d % 7));
  const dayRestricted = day !== '*' && day !== '?';
  const weekdayRestricted = weekday !== '*' && weekday !== '?';
  return {
    source,
    seconds: field(sec, 'seconds', 0, 59),
    minutes: field(min, 'minutes', 0, 59),
    hours: field(hour, 'hours', 0, 23),
    days: new Set(field(day === '?' ? '*' : day, 'day of month', 1, 31)),
    months: new Set(field(month, 'month', 1, 12, MONTHS, 1)),
    weekdays: weekday === '?' ? new Set([0, 1, 2, 3, 4, 5, 6]) : weekdays,
    dayEither: dayRestricted && weekdayRestricted,
    dayRestricted,
    weekdayRestricted,
  };
}

/** The first time strictly after `after` that the schedule fires; null if none within 5 years (e.g. 31 FEB). */
export function nextRun(s: CronSchedule, after: Date): Date | null {
  const start = Math.floor(after.getTime() / 1000) * 1000;
  const day = new Date(start);
  day.setUTCHours(0, 0, 0, 0);
  for (let i = 0; i < 366 * 5; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    if (!s.months.has(day.getUTCMonth() + 1)) continue;
    const dom = s.days.has(day.getUTCDate());
    const dow = s.weekdays.has(day.getUTCDay());
    if (!(s.dayEither ? dom || dow : dom && dow)) continue;
    for (const h of s.hours) for (const m of s.minutes) for (const sec of s.seconds) {
      const t = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m, sec);
      if (t > start) return new Date(t);
    }
  }
  return null;
}
