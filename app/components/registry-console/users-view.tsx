'use client';
// Registry users and their global roles (none, read-only, read-write, admin); admins create them.
import { useState } from 'react';
import { consoleIds } from './console-ids';
import type { ConsoleContext } from './console-context';

const ROLES = ['none', 'read-only', 'read-write', 'admin'] as const;

export function UsersView({ ctx }: { ctx: ConsoleContext }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('none');
  if (!ctx.isAdmin) {
    return <p className="rc-muted">Only admins list and create users. You are <code>{ctx.username}</code>; your repositories live in <code>{ctx.username}/</code>.</p>;
  }
  const users = ctx.accounts.filter((a) => a.type === 'user');
  return (
    <section aria-label="users">
      <form className="rc-form" onSubmit={async (e) => {
        e.preventDefault();
        try {
          await ctx.api.send('POST', '/api/v0/accounts', { type: 'user', name: name.trim(), password, globalRole: role });
          ctx.done(`created user ${name.trim()} (global role ${role})`);
          setName('');
          setPassword('');
        } catch (err) {
          ctx.report(err);
        }
      }}>
        <span className="rc-form-title">New user</span>
        <input data-testid={consoleIds.userCreate('name')} value={name} onChange={(e) => setName(e.target.value)} aria-label="user name" placeholder="name" spellCheck={false} size={12} />
        <input type="password" data-testid={consoleIds.userCreate('password')} value={password} onChange={(e) => setPassword(e.target.value)}
          aria-label="password" placeholder="password (8+ characters)" autoComplete="new-password" />
        <select data-testid={consoleIds.userCreate('role')} value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])} aria-label="global role">
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <button type="submit" data-testid={consoleIds.userCreate('submit')} disabled={!name.trim() || !password}>Create</button>
      </form>
      <table className="rc-table">
        <thead><tr><th>user</th><th>global role</th></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.name} data-testid={consoleIds.user(u.name)}><td>{u.name}</td><td>{u.globalRole ?? 'none'}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
