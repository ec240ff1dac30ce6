// /sessions/:id/registry — the registry console on a page of its own (the session cookie authorizes it).
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { StandaloneConsole } from '@/app/components/registry-console/standalone-console';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Registry console · labdock' };

export default async function RegistryConsolePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Same shape as session ids everywhere; anything else cannot be a session.
  if (!/^[a-f0-9]{12}$/.test(id)) notFound();
  return <StandaloneConsole sessionId={id} />;
}
