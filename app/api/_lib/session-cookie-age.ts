import 'server-only';
import type { SessionView } from '@/runtime/services';
import type { Config } from '@/runtime/config/config';

/**
 * How long a browser keeps a session's token cookie: the session's lifetime, then its
 * retention while paused (idle expiry pauses it), and 30 days more so that a learner who
 * comes back after retention deleted it is told so, not shown a bare "no such session".
 */
export function sessionCookieMaxAge(view: SessionView, config: Pick<Config, 'sessions'>): number {
  const lifetime = Math.max(60, Math.round((Date.parse(view.expiresAt) - Date.now()) / 1000));
  return lifetime + Math.round(config.sessions.retentionDays * 86_400) + 30 * 86_400;
}
