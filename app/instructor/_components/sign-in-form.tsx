'use client';
// Email + password sign-in through better-auth's JSON endpoint (Origin-checked, rate-limited there).
import { useRouter } from 'next/navigation';
import { sendJson } from '@/app/lib/api-client';
import { useFormAction } from '@/app/lib/use-form-action';

export function SignInForm({ oidc }: { oidc: boolean }) {
  const router = useRouter();
  const { onSubmit, busy, error, setError } = useFormAction(async (form) => {
    await sendJson('/api/auth/sign-in/email', { email: form.get('email'), password: form.get('password') });
    router.push('/instructor');
    router.refresh();
  });
  async function oidcSignIn() {
    const r = await sendJson<{ url?: string }>('/api/auth/sign-in/social', { provider: 'oidc', callbackURL: '/instructor' }).catch((e: Error) => setError(e.message));
    if (r && r.url) window.location.href = r.url;
  }
  return (
    <form onSubmit={onSubmit} className="ws-form">
      <label>Email <input name="email" type="email" autoComplete="username" required /></label>
      <label>Password <input name="password" type="password" autoComplete="current-password" required /></label>
      <button type="submit" disabled={busy}>Sign in</button>
      {oidc && <button type="button" onClick={() => void oidcSignIn()}>Sign in with your organisation</button>}
      {error && <p role="alert" className="ws-error">{error}</p>}
    </form>
  );
}
