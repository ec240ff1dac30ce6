'use client';
/**
 * The browser side of a session's life: resume the one this browser started
 * (its id in localStorage), start with live progress, reset, end. Every API
 * failure lands in `error` for the player to show; a session that vanished
 * (404) is forgotten with a message saying so.
 *
 *   const s = useLabSession('intro');
 *   s.session?.status   // 'starting' | 'ready' | …
 *   s.start();
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { api, ApiError, errorText } from '@/app/lib/api-client';

/** Start-up progress refresh: fast enough that stages tick by visibly. */
const POLL_MS = 500;
/** A ready session is re-read this often, so time left follows the server's idle clock and an expiry is noticed. */
const REFRESH_MS = 15_000;

const GONE = 'This session has ended: it expired, was ended elsewhere, or the server no longer knows it. Start the lab again.';

export interface LabSession {
  session: SessionView | null;
  /** True until the stored session has been looked up. */
  resuming: boolean;
  /** True while start, reset or end runs. */
  busy: boolean;
  error: string | null;
  /** Bumps on every reset: terminals reconnect to the new nodes. */
  generation: number;
  start(): void;
  reset(): void;
  end(): void;
  pause(): void;
  resume(): void;
  refresh(): void;
  report(err: unknown): void;
  dismissError(): void;
}

export function storageKey(labId: string): string {
  return `labdock.session.${labId}`;
}

export function useLabSession(labId: string): LabSession {
  const key = storageKey(labId);
  const [session, setSession] = useState<SessionView | null>(null);
  const [resuming, setResuming] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const idRef = useRef<string | null>(null);
  idRef.current = session?.id ?? null;
  // Bumped when start/reset/end begins and when it ends. A view read while one
  // was in flight may predate it (a reset closes the terminals, the player
  // re-reads the session, and that answer can arrive after the reset's own):
  // such a view is dropped rather than undoing the change.
  const mutation = useRef(0);

  /** GET the session; `onView`/`onError` run only if no start/reset/end overlapped the request. */
  const read = useCallback((id: string, onView: (v: SessionView) => void, onError: (err: unknown) => void): Promise<void> => {
    const at = mutation.current;
    return api.get(id).then((view) => {
      if (mutation.current === at) onView(view);
    }, (err: unknown) => {
      if (mutation.current === at) onError(err);
    });
  }, []);

  const forget = useCallback((message: string | null) => {
    localStorage.removeItem(key);
    setSession(null);
    if (message) setError(message);
  }, [key]);

  const adopt = useCallback((view: SessionView) => {
    // A session deleted while paused says why (retention, low disk): that, not a generic "gone".
    if (view.status === 'ended') return forget(view.error && /paused/.test(view.error) ? view.error : GONE);
    setSession(view);
  }, [forget]);

  const refresh = useCallback(() => {
    const id = idRef.current;
    if (!id) return;
    void read(id, adopt, (err) => {
      if (err instanceof ApiError && err.sessionGone) forget(GONE);
      else setError(errorText(err));
    });
  }, [read, adopt, forget]);

  /** A 404 from a step or reset call may mean the session is gone, or only the step: ask before forgetting. */
  const report = useCallback((err: unknown) => {
    if (err instanceof ApiError && err.sessionGone && idRef.current) refresh();
    setError(errorText(err));
  }, [refresh]);

  // Resume the session this browser had for this lab, if it still runs.
  useEffect(() => {
    const id = localStorage.getItem(key);
    if (!id) {
      setResuming(false);
      return;
    }
    let cancelled = false;
    api.get(id)
      .then((view) => {
        if (cancelled) return;
        if (view.status === 'starting' || view.status === 'ready' || view.status === 'paused') setSession(view);
        else if (view.status === 'ended' && view.error && /paused/.test(view.error)) forget(view.error);
        else localStorage.removeItem(key);
      }, (err: unknown) => {
        if (cancelled) return;
        if (err instanceof ApiError && err.sessionGone) localStorage.removeItem(key);
        else setError(`Could not look up your session: ${errorText(err)}`);
      })
      .finally(() => {
        if (!cancelled) setResuming(false);
      });
    return () => {
      cancelled = true;
    };
  }, [key]);

  // Poll while starting; re-read now and then while ready.
  const id = session?.id;
  const status = session?.status;
  useEffect(() => {
    if (!id || (status !== 'starting' && status !== 'ready')) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const delay = status === 'starting' ? POLL_MS : REFRESH_MS;
    const tick = () => {
      void read(id, (view) => {
        if (!cancelled) adopt(view);
      }, (err) => {
        if (cancelled) return;
        if (err instanceof ApiError && err.sessionGone) forget(GONE);
        else setError(errorText(err));
      }).finally(() => {
        // The next read waits for this one: a slow server is never asked twice at once.
        if (!cancelled) timer = setTimeout(tick, delay);
      });
    };
    timer = setTimeout(tick, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [id, status, read, adopt, forget]);

  const act = (work: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    mutation.current++;
    // Count the end before reporting: report() may re-read the session, and that read must count.
    work().then(() => {
      mutation.current++;
    }, (err: unknown) => {
      mutation.current++;
      report(err);
    }).finally(() => setBusy(false));
  };

  return {
    session, resuming, busy, error, generation, refresh, report,
    dismissError: () => setError(null),
    start: () => act(async () => {
      const { token: _token, ...view } = await api.start(labId);
      localStorage.setItem(key, view.id);
      adopt(view);
    }),
    reset: () => act(async () => {
      if (!id) return;
      const view = await api.reset(id);
      adopt(view);
      setGeneration((g) => g + 1);
    }),
    pause: () => act(async () => {
      if (!id) return;
      adopt(await api.pause(id));
    }),
    resume: () => act(async () => {
      if (!id) return;
      adopt(await api.resume(id));
      // The terminals of the resumed nodes are new connections.
      setGeneration((g) => g + 1);
    }),
    end: () => act(async () => {
      if (!id) return;
      try {
        await api.end(id);
      } catch (err) {
        // Already gone is what we wanted.
        if (!(err instanceof ApiError && err.sessionGone)) throw err;
      }
      forget(null);
    }),
  };
}
