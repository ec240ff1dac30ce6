/**
 * The registry console's calls, from the browser: every request goes to
 * labdock's per-session proxy (/api/sessions/:id/registry/…), which forwards
 * it to the session's registry node acting as the registry user whose
 * credentials ride in X-Registry-Authorization. Errors carry the registry's
 * own message (DTR's `{errors: [{message}]}`) or labdock's (`{error}`).
 *
 *   const registry = registryApi(sessionId, { username: 'admin', password });
 *   const { repositories } = await registry.get<{ repositories: Repo[] }>('/api/v0/repositories');
 *   await registry.send('PATCH', '/api/v0/repositories/admin/alpine', { immutableTags: true });
 */

export interface RegistryUser {
  username: string;
  password: string;
}

export class RegistryCallError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RegistryCallError';
  }
}

/** Basic credentials for a registry user; UTF-8 safe (btoa alone only takes Latin-1). */
export function basicAuthorization(user: RegistryUser): string {
  const bytes = new TextEncoder().encode(`${user.username}:${user.password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** The readable message of a failed answer, whichever side (registry or labdock) wrote it. */
export function registryErrorText(status: number, body: unknown): string {
  const b = body as { errors?: { message?: unknown; code?: unknown }[]; error?: unknown } | null | undefined;
  const first = Array.isArray(b?.errors) ? b!.errors[0] : undefined;
  if (first && typeof first.message === 'string' && first.message) return first.message;
  if (typeof b?.error === 'string' && b.error) return b.error;
  return `the registry answered ${status}`;
}

/** Path segments are names: encode each so a space or slash in user input cannot change the path. */
export function registryPath(...segments: string[]): string {
  return segments.map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

export function registryApi(sessionId: string, user: RegistryUser | null) {
  const base = `/api/sessions/${encodeURIComponent(sessionId)}/registry`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: {
          accept: 'application/json',
          ...(user ? { 'x-registry-authorization': basicAuthorization(user) } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new RegistryCallError(0, `cannot reach the labdock server (${(err as Error).message})`);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new RegistryCallError(res.status, `${res.status} ${res.statusText || 'unexpected answer'} from the registry console`);
    }
    if (!res.ok) throw new RegistryCallError(res.status, registryErrorText(res.status, parsed));
    return parsed as T;
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    send: <T = unknown>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => call<T>(method, path, body),
  };
}

export type RegistryApi = ReturnType<typeof registryApi>;

/** Shapes the registry's /api/v0 answers with (what the console reads of them). */
export interface RepositorySummary { namespace: string; name: string; visibility: 'public' | 'private' }
export interface RepositoryDetail extends RepositorySummary {
  immutableTags: boolean;
  teamAccess: Record<string, string>;
  /** Settings newer registries report (absent on older ones). */
  tagLimit?: number;
  scanOnPush?: boolean;
  shortDescription?: string;
}
export interface Account { type: 'user' | 'organization'; name: string; globalRole?: string }
export interface Team { name: string; members: string[] }
export interface Tag {
  name: string;
  digest: string;
  updatedAt?: string;
  author?: string;
  inNotary?: boolean;
  manifest?: { os?: string; architecture?: string };
  /** DTR's scan summary per tag (present once the registry scans). */
  vuln_summary?: { critical?: number; major?: number; minor?: number; last_scan_status?: number | string };
}
