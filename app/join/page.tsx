// /join?code=… — the home page's code box lands here and goes on to /join/<code>.
import { redirect } from 'next/navigation';

export const dynamic = 'force-dynamic';

export default async function JoinByCode({ searchParams }: { searchParams: Promise<{ code?: string }> }) {
  const code = ((await searchParams).code ?? '').trim().toUpperCase().replace(/[^A-Z0-9]/g, '');
  redirect(code ? `/join/${code}` : '/');
}
