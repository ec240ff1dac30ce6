'use client';
/**
 * Registry users and their global roles (none, read-only, read-write,
 * admin). Admins create users and change roles; other users see the list as
 * the registry shows it to them (names, without roles).
 */
import { useState } from 'react';
import { registryPath } from '@/app/lib/registry-api';
import { consoleIds } from './console-ids';
import type { ConsoleContext } from './console-context';

const ROLES = ['none', 'read-only', 'read-write', 'admin'] as const;
type GlobalRole = (typeof ROLES)[number];

export function UsersView({ ctx }: { ctx: ConsoleContext }) {
  const users = ctx.accounts.filter((a) => a.type === 'user');
  const setRole = async (name: string, role: GlobalRole) => {
    try {
      await ctx.api.send('PATCH', registryPath('/api/v0/accounts', name), { globalRole: role });
      ctx.done(`${name}'s global role is now ${role}`);
    } catch (err) {
      ctx.report(err);
    }
  };
  return (
    <section aria-label="users">
      {ctx.isAdmin
        ? <CreateUser ctx={ctx} />
        : <p className="rc-muted">Only admins create users and change global roles. You are <code>{ctx.username}</code>; your repositories live in <code>{ctx.username}/</code>.</p>}
      {users.length > 0 && (
        <table className="rc-table">
          <thead><tr><th>user</th><th>global role</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.name} data-testid={consoleIds.user(u.name)}>
                <td>{u.name}{u.name === ctx.username && <span className="rc-tag">you</span>}</td>
                <td>
                  {ctx.isAdmin && u.globalRole ? (
                    <select data-testid={consoleIds.userRole(u.name)} value={u.globalRole} aria-label={`global role of ${u.name}`}
                      onChange={(e) => void setRole(u.name, e.target.value as GlobalRole)}>
                      {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                  ) : (u.globalRole ?? <span className="rc-muted">—</span>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CreateUser({ ctx }: { ctx: ConsoleContext }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<GlobalRole>('none');
  return (
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
      <select data-testid={consoleIds.userCreate('role')} value={role} onChange={(e) => setRole(e.target.value as GlobalRole)} aria-label="global role">
        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
      </select>
      <button type="submit" data-testid={consoleIds.userCreate('submit')} disabled={!name.trim() || !password}>Create</button>
    </form>
  );
}
