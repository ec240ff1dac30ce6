'use client';
/**
 * A team's access to every repository of its organization (DTR's namespace
 * team access: /api/v0/repositoryNamespaces/:org/teamAccess). Hidden where
 * the registry has no such endpoint or the user may not read it.
 */
import { useEffect, useState } from 'react';
import { registryPath, type Team } from '@/app/lib/registry-api';
import { consoleIds } from './console-ids';
import type { ConsoleContext } from './console-context';

interface Access { accessLevel: string; team: { name: string } }

export function NamespaceAccess({ ctx, org, teams }: { ctx: ConsoleContext; org: string; teams: Team[] }) {
  const [list, setList] = useState<Access[] | null>(null);
  const [team, setTeam] = useState(teams[0]?.name ?? '');
  const [level, setLevel] = useState('read-only');
  const { api, version } = ctx;
  const base = registryPath('/api/v0/repositoryNamespaces', org, 'teamAccess');

  useEffect(() => {
    let live = true;
    api.get<{ teamAccessList: Access[] }>(base).then((r) => live && setList(r.teamAccessList), () => live && setList(null));
    return () => {
      live = false;
    };
  }, [api, version, base]);

  if (!list || !teams.length) return null;
  const change = async (method: 'PUT' | 'DELETE', name: string, message: string) => {
    try {
      await api.send(method, `${base}/${encodeURIComponent(name)}`, method === 'PUT' ? { accessLevel: level } : undefined);
      ctx.done(message);
    } catch (err) {
      ctx.report(err);
    }
  };
  return (
    <div data-testid={consoleIds.namespaceAccess(org)}>
      <span className="rc-form-title">Every repository of {org}:</span>{' '}
      {list.length === 0 ? <span className="rc-muted">no team has access to all of them</span> : list.map((a) => (
        <span key={a.team.name} className="rc-tag">{a.team.name}: {a.accessLevel}
          <button type="button" className="icon" aria-label={`revoke ${a.team.name}'s access to every repository of ${org}`}
            onClick={() => void change('DELETE', a.team.name, `team ${org}/${a.team.name} no longer has access to all of ${org}`)}>✕</button>
        </span>
      ))}
      <form className="rc-form" onSubmit={(e) => {
        e.preventDefault();
        void change('PUT', team, `team ${org}/${team} now has ${level} access to every repository of ${org}`);
      }}>
        <select data-testid={consoleIds.namespaceGrant(org, 'team')} value={team} onChange={(e) => setTeam(e.target.value)} aria-label="team">
          {teams.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
        </select>
        <select data-testid={consoleIds.namespaceGrant(org, 'level')} value={level} onChange={(e) => setLevel(e.target.value)} aria-label="access level">
          <option value="read-only">read-only</option>
          <option value="read-write">read-write</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" className="secondary" data-testid={consoleIds.namespaceGrant(org, 'submit')}>Grant on all repositories</button>
      </form>
    </div>
  );
}
