'use client';
import { useRouter } from 'next/navigation';
import { postJson } from './post-json';

export function SignOut() {
  const router = useRouter();
  return <button type="button" onClick={() => void postJson('/api/auth/sign-out', {}).then(() => router.push('/instructor/sign-in'))}>Sign out</button>;
}
