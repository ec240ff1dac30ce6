'use client';
// Email + password sign-in through better-auth's JSON endpoint (Origin-checked, rate-limited there).
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { postJson } from './post-json';
import { onFormSubmit } from '@/app/lib/on-form-submit';

export function SignInForm({ oidc }: { oidc: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    try {
      await postJson('/api/auth/sign-in/email', { email: form.get('email'), password: form.get('password') });
      router.push('/instructor');
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  async function oidcSignIn() {
    const r = await postJson<{ url?: string }>('/api/auth/sign-in/social', { provider: 'oidc', callbackURL: '/instructor' }).catch((e: Error) => setError(e.message));
    if (r && r.url) window.location.href = r.url;
  }
  return (
    <form onSubmit={onFormSubmit(submit)} className="ws-form">
      <label>Email <input name="email" type="email" autoComplete="username" required /></label>
      <label>Password <input name="password" type="password" autoComplete="current-password" required /></label>
      <button type="submit" disabled={busy}>Sign in</button>
      {oidc && <button type="button" onClick={() => void oidcSignIn()}>Sign in with your organisation</button>}
      {error && <p role="alert" className="ws-error">{error}</p>}
    </form>
  );
}
