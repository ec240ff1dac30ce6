// Browser-side calls to labdock's API: same-origin cookies, JSON errors surfaced as ApiError.
import type { CheckOutcome, SessionView } from '@/runtime/services';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    credentials: 'same-origin',
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiError(res.status, (body as { error?: string } | undefined)?.error ?? `${res.status} ${res.statusText}`);
  return body as T;
}

export const api = {
  start: (lab: string) => call<SessionView & { token: string }>('/api/sessions', { method: 'POST', body: JSON.stringify({ lab, wait: false }) }),
  get: (id: string) => call<SessionView>(`/api/sessions/${id}`),
  end: (id: string) => call<void>(`/api/sessions/${id}`, { method: 'DELETE' }),
  reset: (id: string) => call<SessionView>(`/api/sessions/${id}/reset`, { method: 'POST' }),
  check: (id: string, step: string) => call<CheckOutcome>(`/api/sessions/${id}/steps/${step}/check`, { method: 'POST' }),
};
