/**
 * The browser's calls to labdock's API: same-origin cookie auth, JSON in and
 * out, every failure an ApiError carrying the server's `{error}` text.
 *
 *   const view = await api.start('intro');          // 201, sets the session cookie
 *   await api.check(view.id, 'hello');              // { passed, message }
 *   await sendJson('/api/workshops/join', { code, displayName });   // any other JSON call (forms)
 */
import type { CheckOutcome, SessionView } from '@/runtime/services';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }

  /** The session no longer exists for us (ended, expired, or its cookie is gone). */
  get sessionGone(): boolean {
    return this.status === 404 || this.status === 401 || this.status === 410;
  }
}

/** Readable text for anything a call or a handler threw. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      cache: 'no-store',
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
  } catch (err) {
    throw new ApiError(0, `cannot reach the labdock server (${errorText(err)})`);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page, say: report the status, not a JSON parse error.
    throw new ApiError(res.status, `${res.status} ${res.statusText || 'unexpected response'} from ${path}`);
  }
  if (!res.ok) {
    // Ours say {error}; better-auth's (/api/auth/*) say {message}.
    const { error, message: theirs } = (body ?? {}) as { error?: unknown; message?: unknown };
    const message = typeof error === 'string' ? error : theirs;
    throw new ApiError(res.status, typeof message === 'string' ? message : `${res.status} ${res.statusText}`);
  }
  return body as T;
}

/** A JSON request to any of labdock's endpoints (forms, instructor actions): the answer's JSON, or an ApiError with the server's words. */
export function sendJson<T = unknown>(path: string, body: unknown, method: 'POST' | 'PUT' | 'DELETE' = 'POST'): Promise<T> {
  return call<T>(path, { method, body: JSON.stringify(body ?? {}) });
}

const session = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export const api = {
  start: (lab: string) => call<SessionView & { token: string }>('/api/sessions', { method: 'POST', body: JSON.stringify({ lab, wait: false }) }),
  get: (id: string) => call<SessionView>(session(id)),
  end: (id: string) => call<void>(session(id), { method: 'DELETE' }),
  reset: (id: string) => call<SessionView>(`${session(id)}/reset`, { method: 'POST' }),
  pause: (id: string) => call<SessionView>(`${session(id)}/pause`, { method: 'POST' }),
  resume: (id: string) => call<SessionView>(`${session(id)}/resume`, { method: 'POST', body: JSON.stringify({ wait: false }) }),
  resumeLink: (id: string) => call<{ path: string; secret: string }>(`${session(id)}/resume-link`, { method: 'POST' }),
  claim: (id: string, secret: string) => call<{ id: string; lab: string; status: SessionView['status'] }>(`${session(id)}/claim`, { method: 'POST', body: JSON.stringify({ secret }) }),
  check: (id: string, step: string) => call<CheckOutcome>(`${session(id)}/steps/${encodeURIComponent(step)}/check`, { method: 'POST' }),
  /** The player showed the learner this failed check's hint (a workshop counts it). */
  hintShown: (id: string, step: string, message: string) => call<void>(`${session(id)}/steps/${encodeURIComponent(step)}/hint`, { method: 'POST', body: JSON.stringify({ message }) }),
};
