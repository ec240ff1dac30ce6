/**
 * A workshop's results, one record per attendee and step: passed, when first
 * passed, attempts, and hints shown (the player reports each failed check's
 * hint it actually put in front of the learner: record-hint.ts). Built from
 * step events, which outlive the sessions.
 *
 *   const rows = await workshopResults(deps, workshopId);
 *   resultsCsv(rows)   // "attendee,email,seat,lab,step,passed,first_passed_at,attempts,hints_shown\n…"
 */
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/open-database';
import type { LabCatalog } from '../services';
import { loadDashboard } from './load-dashboard';

export interface ResultRow {
  attendee: string; email: string; seat: number; lab: string; step: string;
  passed: boolean; firstPassedAt: string; attempts: number; hintsShown: number;
}

export async function workshopResults(deps: { db: Db; labs: LabCatalog }, workshopId: string): Promise<ResultRow[] | null> {
  const d = await loadDashboard(deps, workshopId);
  if (!d) return null;
  return d.rows.flatMap((r) => d.steps.map((s) => {
    const c = r.cells[s.key];
    return {
      attendee: r.displayName, email: r.email ?? '', seat: r.seat, lab: s.labId, step: s.stepId,
      passed: c.state === 'passed', firstPassedAt: c.firstPassedAt ?? '', attempts: c.attempts, hintsShown: c.hintsShown,
    };
  }));
}

const COLUMNS = [
  { key: 'attendee', header: 'attendee' }, { key: 'email', header: 'email' }, { key: 'seat', header: 'seat' },
  { key: 'lab', header: 'lab' }, { key: 'step', header: 'step' }, { key: 'passed', header: 'passed' },
  { key: 'firstPassedAt', header: 'first_passed_at' }, { key: 'attempts', header: 'attempts' }, { key: 'hintsShown', header: 'hints_shown' },
];

export function resultsCsv(rows: ResultRow[]): string {
  // A display name starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
  const safe = rows.map((r) => ({ ...r, attendee: /^[=+\-@\t\r]/.test(r.attendee) ? `'${r.attendee}` : r.attendee, passed: r.passed ? 'yes' : 'no' }));
  return stringify(safe, { header: true, columns: COLUMNS });
}
