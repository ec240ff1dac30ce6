'use client';
// Redeems the link's secret (from the #fragment, which never reached the server), then opens the lab.
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { api, ApiError, errorText } from '@/app/lib/api-client';
import { storageKey } from '@/app/components/use-lab-session';

export function ResumeClaim({ id }: { id: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const secret = window.location.hash.slice(1);
    // The secret leaves the address bar (and history) at once.
    window.history.replaceState(null, '', window.location.pathname);
    if (!secret) {
      setError('This link has no resume secret: copy the whole link, including the part after #.');
      return;
    }
    api.claim(id, secret).then(({ lab }) => {
      localStorage.setItem(storageKey(lab), id);
      router.replace(`/labs/${lab}`);
    }, (err: unknown) => setError(err instanceof ApiError ? err.message : `Could not open the session: ${errorText(err)}`));
  }, [id, router]);
  return error
    ? <div className="error" role="alert" data-testid="resume-error">{error}</div>
    : <p role="status">Opening your session…</p>;
}
