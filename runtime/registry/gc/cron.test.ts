import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CronError, nextRun, parseCron } from './cron';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string) => nextRun(parseCron(expr), at(after))?.toISOString();

test('next run: seed 001 six-field midnight, five-field forms, steps, ranges, lists, names', () => {
  const vectors: [string, string, string][] = [
    ['0 0 0 * * *', '2026-11-22T15:40:00Z', '2026-11-23T00:00:00.000Z'],
    ['0 0 0 * * *', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00.000Z'],
    ['*/15 * * * *', '2026-11-22T15:40:00Z', '2026-11-22T15:45:00.000Z'],
    ['*/15 * * * *', '2026-11-22T15:45:00Z', '2026-11-22T16:00:00.000Z', ],
    ['30 2 * * MON-FRI', '2026-11-21T10:00:00Z', '2026-11-23T02:30:00.000Z'], // Saturday → Monday
    ['0 12 1 JAN,jul *', '2026-11-22T00:00:00Z', '2027-01-01T12:00:00.000Z'],
    ['0 0 13 * 5', '2026-11-22T00:00:00Z', '2026-11-27T00:00:00.000Z'], // Friday or the 13th: either
    ['0 0 * * 7', '2026-11-22T00:00:01Z', '2026-11-29T00:00:00.000Z'], // 7 is Sunday
    ['*/20 * * * * *', '2026-11-22T15:40:05Z', '2026-11-22T15:40:20.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ];
  for (const [expr, after, want] of vectors) assert.equal(next(expr, after), want, `${expr} after ${after}`);
  assert.equal(next('0 0 31 2 *', '2026-01-01T00:00:00Z'), undefined, 'never');
});

test('bad schedules say what is wrong', () => {
  for (const [expr, message] of [
    ['0 0 *', /3 fields/],
    ['0 0 0 0 * * *', /7 fields/],
    ['61 * * * *', /"61 \* \* \* \*": .*minute: 61/],
    ['* * * * FOO', /FOO.*illegal characters/],
    ['5-1 * * * *', /'5-1'.*larger|larger.*'5-1'/],
    ['*/0 * * * *', /illegal stepping: 0/],
    ['1-2-3 * * * *', /illegal range: '1-2-3'/],
  ] as const) assert.throws(() => parseCron(expr), (e: Error) => e instanceof CronError && message.test(e.message), expr);
});
