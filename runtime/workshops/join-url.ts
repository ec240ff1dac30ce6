/**
 * The link attendees open: the configured public URL, else the host the
 * instructor reached us on.
 *
 *   joinUrl(config, headers, 'K7Q2MXRA')   // 'https://labs.example.org/join/K7Q2MXRA'
 */
import type { Config } from '../config/config';

export function joinUrl(config: Pick<Config, 'auth' | 'server'>, headers: { get(name: string): string | null }, code: string): string {
  const base = config.auth.baseUrl || `${config.server.secureCookies ? 'https' : 'http'}://${headers.get('host') ?? 'localhost'}`;
  return `${base.replace(/\/$/, '')}/join/${code}`;
}
