'use client';
/**
 * A form's submit with the two states every labdock form shows: busy while
 * the request runs, and the server's refusal as text. Built on onFormSubmit
 * (on-form-submit.ts), so a refused submission keeps what was typed.
 *
 *   const { onSubmit, busy, error } = useFormAction(async (data) => {
 *     await sendJson('/api/…', { name: data.get('name') });
 *     return 'leaving';    // stay busy: the page is navigating away
 *   });
 *   <form onSubmit={onSubmit}>… <button disabled={busy}>… {error && <p role="alert">{error}</p>}
 */
import { useCallback, useState } from 'react';
import { onFormSubmit } from './on-form-submit';
import { errorText } from './api-client';

export function useFormAction(handle: (data: FormData) => Promise<void | 'leaving'>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (data: FormData) => {
    setBusy(true);
    setError(null);
    try {
      if ((await handle(data)) === 'leaving') return;
    } catch (err) {
      setError(errorText(err));
    }
    setBusy(false);
  }, [handle]);
  return { onSubmit: onFormSubmit(run), busy, error, setError };
}
