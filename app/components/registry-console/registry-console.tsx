'use client';
/**
 * The registry console: the session registry's accounts, organizations,
 * teams and repositories, managed in the browser as a registry user — the
 * session's admin by default, or any user the learner signs in as (to see
 * the registry as `moby` sees it). Every call goes through labdock's
 * per-session proxy (app/lib/registry-api.ts); the registry decides what the
 * signed-in user may see and do, and its refusals are shown as it words them.
 *
 *   <RegistryConsole session={session} />              // in the player's Registry tab
 *   <RegistryConsole session={session} standalone />   // /sessions/:id/registry
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { registryApi, registryPath, type Account, type RegistryUser } from '@/app/lib/registry-api';
import { errorText } from '@/app/lib/api-client';
import { consoleIds } from './console-ids';
import type { ConsoleContext } from './console-context';
import { OrganizationsView } from './organizations-view';
import { RepositoriesView } from './repositories-view';
import { SignInForm } from './sign-in-form';
import { UsersView } from './users-view';

type Section = 'repositories' | 'organizations' | 'users';
const SECTIONS: Section[] = ['repositories', 'organizations', 'users'];

interface Props {
  session: SessionView;
  /** On its own page: no link to open it in a new tab. */
  standalone?: boolean;
}

export function RegistryConsole({ session, standalone = false }: Props) {
  const admin = useMemo<RegistryUser | null>(
    () => (session.registry ? { username: session.registry.username, password: session.registry.password } : null),
    [session.registry],
  );
  const [user, setUser] = useState<RegistryUser | null>(admin);
  const [identity, setIdentity] = useState<{ name: string; admin: boolean; accounts: Account[] } | null>(null);
  const [section, setSection] = useState<Section>('repositories');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const api = useMemo(() => registryApi(session.id, user), [session.id, user]);

  // Who the registry says we are: any authenticated call proves the password, and a user's own
  // account says whether they are an admin (registries that predate GET /accounts/:name list
  // accounts to admins only, so there a 403 on the list means "not an admin").
  useEffect(() => {
    if (!user) return;
    let live = true;
    (async () => {
      try {
        await api.get('/api/v0/repositories');
        const me = await api.get<{ isAdmin?: boolean }>(registryPath('/api/v0/accounts', user.username)).catch(() => null);
        const accounts = await api.get<{ accounts: Account[] }>('/api/v0/accounts').then((r) => r.accounts, (e: { status?: number }) => {
          if (e.status === 403) return null;
          throw e;
        });
        const admin = typeof me?.isAdmin === 'boolean' ? me.isAdmin : accounts !== null;
        if (live) setIdentity({ name: user.username, admin, accounts: accounts ?? [] });
      } catch (err) {
        if (!live) return;
        setIdentity(null);
        setError(`Signing in as ${user.username} failed: ${errorText(err)}`);
      }
    })();
    return () => {
      live = false;
    };
  }, [api, user, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const context: ConsoleContext | null = useMemo(() => identity && {
    api, version, reload,
    username: identity.name,
    isAdmin: identity.admin,
    accounts: identity.accounts,
    report: (err: unknown) => {
      setNotice(null);
      setError(errorText(err));
    },
    done: (message: string) => {
      setError(null);
      setNotice(message);
      reload();
    },
  }, [api, identity, version, reload]);

  const signIn = (next: RegistryUser) => {
    setError(null);
    setNotice(null);
    setIdentity(null);
    setUser(next);
  };

  return (
    <div className="registry-console" data-testid={consoleIds.root}>
      <header className="rc-bar">
        <strong>Registry console</strong>
        <span className="rc-host">{session.registry?.hostname}</span>
        {!standalone && <a href={`/sessions/${session.id}/registry`} target="_blank" rel="noopener" data-testid={consoleIds.popOut}>open in a new tab</a>}
        {identity && (
          <span className="rc-who">
            signed in as <code data-testid={consoleIds.signedIn}>{identity.name}</code>
            <span className="rc-role" data-testid={consoleIds.role}>{identity.admin ? 'admin' : 'user'}</span>
            · your namespace <code>{identity.name}/</code>
          </span>
        )}
      </header>
      <SignInForm admin={admin} current={user?.username ?? null} onSignIn={signIn} />
      {error && <p className="error" role="alert" data-testid={consoleIds.error}>{error}<button type="button" className="icon" aria-label="dismiss" onClick={() => setError(null)}>✕</button></p>}
      {notice && <p className="rc-notice" role="status" data-testid={consoleIds.notice}>{notice}</p>}
      {context && (
        <>
          <nav className="rc-sections" role="tablist" aria-label="registry console sections">
            {SECTIONS.map((s) => (
              <button key={s} type="button" role="tab" aria-selected={section === s} className={section === s ? 'active' : ''}
                id={`rc-tab-${s}`} aria-controls="rc-section-panel"
                data-testid={consoleIds.section(s)} onClick={() => setSection(s)}>{s[0].toUpperCase() + s.slice(1)}</button>
            ))}
          </nav>
          <div className="rc-body" role="tabpanel" id="rc-section-panel" aria-labelledby={`rc-tab-${section}`}>
            {section === 'repositories' && <RepositoriesView ctx={context} />}
            {section === 'organizations' && <OrganizationsView ctx={context} />}
            {section === 'users' && <UsersView ctx={context} />}
          </div>
        </>
      )}
    </div>
  );
}
