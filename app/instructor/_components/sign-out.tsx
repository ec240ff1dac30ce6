'use client';
import { useRouter } from 'next/navigation';
import { sendJson } from '@/app/lib/api-client';

export function SignOut() {
  const router = useRouter();
  return <button type="button" onClick={() => void sendJson('/api/auth/sign-out', {}).then(() => router.push('/instructor/sign-in'))}>Sign out</button>;
}
