/**
 * The live dashboard's picture of a cohort, computed from step events: a row
 * per attendee, a cell per step (passed / failing with the last hint / not
 * tried), the current step, time left, last activity, and who is stuck.
 * Pure: the loader (load-dashboard.ts) feeds it rows.
 *
 *   const d = buildDashboard({ steps, attendees, events, now });
 *   d.rows[0].cells['demo/one']   // { state: 'failing', hint: '~/one is missing', attempts: 2, firstPassedAt: null }
 */

/** Failing the same step this often marks an attendee as stuck. */
export const STUCK_FAILURES = 3;
/** On one step this many times the cohort's median time for it is stuck… */
export const STUCK_MEDIAN_FACTOR = 2;
/** …but never before this long: the first minutes of any step are reading time. */
export const STUCK_MIN_MS = 5 * 60_000;
/** A median of fewer finishers is one person's pace, not the cohort's. */
export const MEDIAN_MIN_SAMPLES = 3;

export interface StepColumn { key: string; labId: string; stepId: string; title: string; labTitle?: string }
export interface AttendeeInput {
  id: string; displayName: string; email: string | null; seat: number; joinedAt: Date;
  /** labId: the lab the attendee is on now (their session's). */
  session: { id: string; labId?: string; status: string; expiresAt: Date; lastActiveAt: Date } | null;
}
/** kind 'check' (default): a check ran; 'hint': the player showed the learner a failed check's hint. */
export interface EventInput { attendeeId: string; labId: string; stepId: string; kind?: string; passed: boolean; message: string; createdAt: Date }

export type CellState = 'passed' | 'failing' | 'untried';
export interface Cell { state: CellState; hint: string | null; attempts: number; failures: number; hintsShown: number; firstPassedAt: string | null }
export interface Row {
  attendeeId: string; displayName: string; email: string | null; seat: number;
  sessionId: string | null; status: string; currentStep: string | null;
  /** The lab the attendee is on now, and its nodes (the terminals an instructor may watch). */
  labId: string | null; nodes: string[];
  timeLeftSeconds: number | null; lastActivityAt: string; stuck: string | null;
  cells: Record<string, Cell>;
}
export interface Dashboard { steps: StepColumn[]; rows: Row[]; completions: Record<string, number>; at: string }

function median(values: number[]): number | null {
  if (values.length < MEDIAN_MIN_SAMPLES) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The step an attendee is on: the first not passed in the lab they are on, else in a later lab, else none. */
function currentIndexOf(steps: StepColumn[], cells: Record<string, Cell>, labId: string | undefined): number {
  const from = labId ? Math.max(0, steps.findIndex((s) => s.labId === labId)) : 0;
  return steps.findIndex((s, i) => i >= from && cells[s.key].state !== 'passed');
}

export function buildDashboard(input: { steps: StepColumn[]; attendees: AttendeeInput[]; events: EventInput[]; now: Date; nodesOf?: Record<string, string[]> }): Dashboard {
  const { steps, now } = input;
  const byAttendee = new Map<string, EventInput[]>();
  for (const e of [...input.events].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const list = byAttendee.get(e.attendeeId) ?? [];
    list.push(e);
    byAttendee.set(e.attendeeId, list);
  }
  // Per attendee: the cells, and when they started each step (the previous step's first pass, or joining).
  const partial = input.attendees.map((a) => {
    const cells: Record<string, Cell> = {};
    for (const s of steps) cells[s.key] = { state: 'untried', hint: null, attempts: 0, failures: 0, hintsShown: 0, firstPassedAt: null };
    let lastEvent = a.joinedAt;
    for (const e of byAttendee.get(a.id) ?? []) {
      const cell = cells[`${e.labId}/${e.stepId}`];
      if (!cell) continue;
      if (e.kind === 'hint') {
        cell.hintsShown++;
        continue;
      }
      cell.attempts++;
      lastEvent = e.createdAt > lastEvent ? e.createdAt : lastEvent;
      if (e.passed) {
        cell.state = 'passed';
        cell.firstPassedAt ??= e.createdAt.toISOString();
      } else if (cell.state !== 'passed') {
        cell.state = 'failing';
        cell.failures++;
        cell.hint = e.message;
      }
    }
    const currentIndex = currentIndexOf(steps, cells, a.session?.labId);
    const stepStart = currentIndex <= 0 ? a.joinedAt : new Date(cells[steps[currentIndex - 1].key].firstPassedAt ?? a.joinedAt);
    return { a, cells, currentIndex, stepStart, lastEvent };
  });
  // How long each step took those who passed it: the cohort's yardstick for "far longer".
  const durations = new Map<string, number[]>();
  for (const p of partial) {
    let start = p.a.joinedAt.getTime();
    for (const s of steps) {
      const passed = p.cells[s.key].firstPassedAt;
      if (!passed) break;
      const end = Date.parse(passed);
      (durations.get(s.key) ?? durations.set(s.key, []).get(s.key)!).push(end - start);
      start = end;
    }
  }
  const rows: Row[] = partial.map(({ a, cells, currentIndex, stepStart, lastEvent }) => {
    const current = currentIndex >= 0 ? steps[currentIndex] : null;
    const live = a.session && (a.session.status === 'ready' || a.session.status === 'starting');
    let stuck: string | null = null;
    if (current && live) {
      const cell = cells[current.key];
      const dwell = now.getTime() - stepStart.getTime();
      const med = median(durations.get(current.key) ?? []);
      if (cell.failures >= STUCK_FAILURES) stuck = `failed ${current.title} ${cell.failures} times`;
      else if (med !== null && dwell > Math.max(STUCK_MIN_MS, STUCK_MEDIAN_FACTOR * med)) stuck = `${Math.round(dwell / 60_000)} min on ${current.title} (cohort median ${Math.max(1, Math.round(med / 60_000))} min)`;
    }
    const activity = a.session && a.session.lastActiveAt > lastEvent ? a.session.lastActiveAt : lastEvent;
    return {
      attendeeId: a.id, displayName: a.displayName, email: a.email, seat: a.seat,
      sessionId: a.session?.id ?? null, status: a.session?.status ?? 'none',
      labId: a.session?.labId ?? null, nodes: (a.session?.labId && input.nodesOf?.[a.session.labId]) || [],
      currentStep: current?.key ?? null,
      timeLeftSeconds: live ? Math.max(0, Math.round((a.session!.expiresAt.getTime() - now.getTime()) / 1000)) : null,
      lastActivityAt: activity.toISOString(), stuck, cells,
    };
  });
  const completions = Object.fromEntries(steps.map((s) => [s.key, rows.filter((r) => r.cells[s.key].state === 'passed').length]));
  return { steps, rows: rows.sort((x, y) => x.seat - y.seat), completions, at: now.toISOString() };
}
