'use client';
// The registry console outside the player: loads the session (cookie-authorized) and shows the console full width.
import { useEffect, useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { api, errorText } from '@/app/lib/api-client';
import { RegistryConsole } from './registry-console';

export function StandaloneConsole({ sessionId }: { sessionId: string }) {
  const [session, setSession] = useState<SessionView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.get(sessionId).then(setSession, (err) => setProblem(errorText(err)));
  }, [sessionId]);
  let content;
  if (problem) content = <p className="error" role="alert">This session cannot be opened here: {problem}</p>;
  else if (!session) content = <p className="start-note">Loading the session…</p>;
  else if (!session.registry) content = <p className="start-note">Lab {session.lab} has no registry.</p>;
  else if (session.status !== 'ready') content = <p className="start-note">The session is {session.status}: the console works once it is ready.</p>;
  else content = <RegistryConsole session={session} standalone />;
  return <main className="work-pane standalone-console" id="main">{content}</main>;
}
