'use client';
// Sign in to the registry console as any registry user, or go back to the session's admin.
import { useState } from 'react';
import type { RegistryUser } from '@/app/lib/registry-api';
import { consoleIds } from './console-ids';

interface Props {
  admin: RegistryUser | null;
  current: string | null;
  onSignIn(user: RegistryUser): void;
}

export function SignInForm({ admin, current, onSignIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form className="rc-form rc-signin" onSubmit={(e) => {
      e.preventDefault();
      if (!username || !password) return;
      onSignIn({ username: username.trim(), password });
      setPassword('');
    }}>
      <label>Sign in as <input data-testid={consoleIds.signInUser} value={username} onChange={(e) => setUsername(e.target.value)}
        placeholder="registry user" autoComplete="off" spellCheck={false} /></label>
      <input type="password" data-testid={consoleIds.signInPassword} value={password} onChange={(e) => setPassword(e.target.value)}
        placeholder="password" autoComplete="off" aria-label="password" />
      <button type="submit" data-testid={consoleIds.signIn} disabled={!username || !password}>Sign in</button>
      {admin && current !== admin.username && (
        <button type="button" className="secondary" data-testid={consoleIds.useAdmin} onClick={() => onSignIn(admin)}>
          Back to {admin.username}
        </button>
      )}
    </form>
  );
}
