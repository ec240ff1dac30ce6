/**
 * better-auth's baseURL, from what the operator already configured: the
 * explicit auth.baseUrl (LABDOCK_AUTH_BASE_URL) wins; else the public origins
 * (server.publicOrigins): one origin is the URL, several are the hosts
 * better-auth may answer for, the first being the fallback; else, like every
 * other check of ours without public origins, the loopback hosts on any port
 * (the port is only known once the server listens). better-auth then never
 * derives its URL from an arbitrary Host header, and has no reason to warn
 * "Base URL is not set" at every start.
 *
 *   authBaseUrl(config)   // 'https://labs.example.org' | { allowedHosts: [...], fallback?, protocol? }
 */
import type { Config } from '../config/config';

export type AuthBaseUrl = string | { allowedHosts: string[]; fallback?: string; protocol?: 'http' | 'https' };

/** The loopback hosts publicOriginsFor() trusts when no public origin is set. */
const LOOPBACK_HOSTS = ['localhost:*', '127.0.0.1:*', '[::1]:*', 'localhost', '127.0.0.1', '[::1]'];

export function authBaseUrl(config: Pick<Config, 'auth' | 'server'>): AuthBaseUrl {
  if (config.auth.baseUrl) return config.auth.baseUrl;
  const origins = [...new Set([...config.server.publicOrigins, ...config.server.allowedOrigins].map((o) => new URL(o).origin))];
  if (origins.length === 1) return origins[0];
  if (!origins.length) return { allowedHosts: LOOPBACK_HOSTS, protocol: 'http' };
  const protocols = new Set(origins.map((o) => new URL(o).protocol.slice(0, -1) as 'http' | 'https'));
  return {
    allowedHosts: origins.map((o) => new URL(o).host),
    fallback: origins[0],
    ...(protocols.size === 1 ? { protocol: [...protocols][0] } : {}),
  };
}
