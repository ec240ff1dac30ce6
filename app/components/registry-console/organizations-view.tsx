'use client';
/**
 * Organizations, their teams and the teams' members. Admins create
 * organizations; an organization's owners manage its teams, members read
 * them, and the registry's refusal is shown to anyone else. (Where the
 * registry lists accounts to admins only, an organization opens by name.)
 */
import { useEffect, useState } from 'react';
import { registryPath, type Team } from '@/app/lib/registry-api';
import { consoleIds } from './console-ids';
import { NamespaceAccess } from './namespace-access';
import type { ConsoleContext } from './console-context';

export function OrganizationsView({ ctx }: { ctx: ConsoleContext }) {
  const orgs = ctx.accounts.filter((a) => a.type === 'organization').map((a) => a.name);
  const [opened, setOpened] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [openName, setOpenName] = useState('');
  const shown = [...new Set([...orgs, ...opened])];

  return (
    <section aria-label="organizations">
      {ctx.isAdmin ? (
        <form className="rc-form" onSubmit={async (e) => {
          e.preventDefault();
          try {
            await ctx.api.send('POST', '/api/v0/accounts', { type: 'organization', name: name.trim() });
            ctx.done(`created organization ${name.trim()}`);
            setName('');
          } catch (err) {
            ctx.report(err);
          }
        }}>
          <span className="rc-form-title">New organization</span>
          <input data-testid={consoleIds.orgCreate('name')} value={name} onChange={(e) => setName(e.target.value)} aria-label="organization name" placeholder="name" spellCheck={false} />
          <button type="submit" data-testid={consoleIds.orgCreate('submit')} disabled={!name.trim()}>Create</button>
        </form>
      ) : orgs.length > 0 ? null : (
        <form className="rc-form" onSubmit={(e) => {
          e.preventDefault();
          if (openName.trim()) setOpened((o) => [...o, openName.trim()]);
          setOpenName('');
        }}>
          <span className="rc-muted">Only admins list organizations. Open one you manage:</span>
          <input data-testid={consoleIds.orgOpen} value={openName} onChange={(e) => setOpenName(e.target.value)} aria-label="organization to open" spellCheck={false} />
          <button type="submit" className="secondary">Open</button>
        </form>
      )}
      {shown.length === 0 && <p className="rc-muted">No organizations yet.</p>}
      {shown.map((org) => <Organization key={org} ctx={ctx} org={org} />)}
    </section>
  );
}

function Organization({ ctx, org }: { ctx: ConsoleContext; org: string }) {
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [team, setTeam] = useState('');
  const { api, version } = ctx;

  useEffect(() => {
    let live = true;
    api.get<{ teams: Team[] }>(registryPath('/api/v0/accounts', org, 'teams')).then(
      (r) => live && (setTeams(r.teams), setProblem(null)),
      (err: Error) => live && (setTeams(null), setProblem(err.message)),
    );
    return () => {
      live = false;
    };
  }, [api, version, org]);

  return (
    <div className="rc-card" data-testid={consoleIds.org(org)}>
      <h3>{org}</h3>
      {problem && <p className="rc-muted">{problem}</p>}
      {teams && (
        <>
          {teams.length === 0 && <p className="rc-muted">No teams yet.</p>}
          <ul className="rc-list">
            {teams.map((t) => <TeamRow key={t.name} ctx={ctx} org={org} team={t} />)}
          </ul>
          <NamespaceAccess ctx={ctx} org={org} teams={teams} />
          <form className="rc-form" onSubmit={async (e) => {
            e.preventDefault();
            try {
              await api.send('POST', registryPath('/api/v0/accounts', org, 'teams'), { name: team.trim() });
              ctx.done(`created team ${org}/${team.trim()}`);
              setTeam('');
            } catch (err) {
              ctx.report(err);
            }
          }}>
            <span className="rc-form-title">New team</span>
            <input data-testid={consoleIds.teamCreate('name')} value={team} onChange={(e) => setTeam(e.target.value)} aria-label={`new team in ${org}`} placeholder="team" spellCheck={false} />
            <button type="submit" data-testid={consoleIds.teamCreate('submit')} disabled={!team.trim()}>Create</button>
          </form>
        </>
      )}
    </div>
  );
}

function TeamRow({ ctx, org, team }: { ctx: ConsoleContext; org: string; team: Team }) {
  const [member, setMember] = useState('');
  const teamPath = registryPath('/api/v0/accounts', org, 'teams', team.name);
  const remove = async (what: string, path: string, message: string) => {
    if (!window.confirm(`${what}?`)) return;
    try {
      await ctx.api.send('DELETE', path);
      ctx.done(message);
    } catch (err) {
      ctx.report(err);
    }
  };
  return (
    <li data-testid={consoleIds.team(org, team.name)}>
      <strong>{team.name}</strong>
      <span className="rc-members">
        {team.members.length === 0 && <span className="rc-muted">no members</span>}
        {team.members.map((m) => (
          <span key={m} className="rc-tag">{m}
            <button type="button" className="icon" aria-label={`remove ${m} from ${org}/${team.name}`} data-testid={consoleIds.memberRemove(org, team.name, m)}
              onClick={() => void remove(`Remove ${m} from ${org}/${team.name}`, `${teamPath}/members/${encodeURIComponent(m)}`, `${m} left ${org}/${team.name}`)}>✕</button>
          </span>
        ))}
      </span>
      <form className="rc-form inline" onSubmit={async (e) => {
        e.preventDefault();
        try {
          await ctx.api.send('PUT', `${teamPath}/members/${encodeURIComponent(member.trim())}`);
          ctx.done(`${member.trim()} joined ${org}/${team.name}`);
          setMember('');
        } catch (err) {
          ctx.report(err);
        }
      }}>
        <input data-testid={consoleIds.memberAdd(org, team.name, 'name')} value={member} onChange={(e) => setMember(e.target.value)}
          aria-label={`add a member to ${org}/${team.name}`} placeholder="user" spellCheck={false} size={12} />
        <button type="submit" className="secondary" data-testid={consoleIds.memberAdd(org, team.name, 'submit')} disabled={!member.trim()}>Add member</button>
      </form>
      <button type="button" className="secondary" data-testid={consoleIds.teamDelete(org, team.name)}
        onClick={() => void remove(`Delete team ${org}/${team.name} and every access it has`, teamPath, `deleted team ${org}/${team.name}`)}>Delete team</button>
    </li>
  );
}
