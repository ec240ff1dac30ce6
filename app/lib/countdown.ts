/**
 * The session panel's "time left": a session ends at its hard expiry or
 * earlier when idle, whichever comes first.
 *
 *   const { until, idle } = sessionDeadline(view);
 *   formatRemaining(until, Date.now());   // "14:05"
 */

/** "1:05:09", "4:02", "0:00": time left until `untilMs`, never negative. */
export function formatRemaining(untilMs: number, nowMs: number): string {
  const total = Math.max(0, Math.floor((untilMs - nowMs) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** When the session ends, and whether idleness (not the hard limit) decides it. Unparseable dates count as now: fail closed. */
export function sessionDeadline(view: { expiresAt: string; idleExpiresAt: string }, nowMs = Date.now()): { until: number; idle: boolean } {
  const hard = parseOr(view.expiresAt, nowMs);
  const idle = parseOr(view.idleExpiresAt, nowMs);
  return idle < hard ? { until: idle, idle: true } : { until: hard, idle: false };
}

function parseOr(iso: string, fallback: number): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? fallback : t;
}
