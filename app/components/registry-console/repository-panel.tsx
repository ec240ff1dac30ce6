'use client';
/**
 * One repository, opened: its tags (shown only when the registry answers
 * GET …/tags — older registry images have no such endpoint) with tag and
 * repository deletion, and, for an organization's repository, granting a
 * team access to it.
 *
 * Later columns (scan results per tag, signatures) go in TAG_COLUMNS: each
 * reads what the tags endpoint returns for a tag and renders nothing when the
 * field is absent, so the panel works with every registry version.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { registryPath, type RepositoryDetail, type Tag, type Team } from '@/app/lib/registry-api';
import { consoleIds } from './console-ids';
import { RepositorySettings } from './repository-settings';
import type { ConsoleContext } from './console-context';

/** `optional` columns show only when at least one tag carries their field (scanning and trust add them). */
const TAG_COLUMNS: { header: string; optional?: (t: Tag) => boolean; render(tag: Tag): ReactNode }[] = [
  { header: 'tag', render: (t) => <code>{t.name}</code> },
  { header: 'digest', render: (t) => <code title={t.digest}>{t.digest.slice(0, 19)}…</code> },
  { header: 'pushed', render: (t) => (t.updatedAt ? new Date(t.updatedAt).toLocaleString() : '') },
  { header: 'by', optional: (t) => !!t.author, render: (t) => t.author ?? '' },
  { header: 'platform', optional: (t) => !!t.manifest?.os, render: (t) => (t.manifest?.os ? `${t.manifest.os}/${t.manifest.architecture ?? '?'}` : '') },
  { header: 'signed', optional: (t) => typeof t.inNotary === 'boolean', render: (t) => (t.inNotary ? 'yes' : 'no') },
  // DTR's per-tag scan summary (`vuln_summary`), once the registry scans.
  { header: 'vulnerabilities', optional: (t) => !!t.vuln_summary, render: (t) => scanText(t.vuln_summary) },
];

function scanText(v: Tag['vuln_summary']): string {
  if (!v) return '';
  if (v.critical === undefined) return v.last_scan_status !== undefined ? `scan: ${v.last_scan_status}` : '';
  return `${v.critical} critical · ${v.major ?? 0} major · ${v.minor ?? 0} minor`;
}

const columns = (tags: Tag[]) => TAG_COLUMNS.filter((c) => !c.optional || tags.some(c.optional));

export function RepositoryPanel({ ctx, repo }: { ctx: ConsoleContext; repo: RepositoryDetail }) {
  const full = `${repo.namespace}/${repo.name}`;
  const [tags, setTags] = useState<Tag[] | null | 'absent'>(null);
  const [teams, setTeams] = useState<Team[] | null>(null);
  const { api, version } = ctx;

  useEffect(() => {
    let live = true;
    api.get<{ tags: Tag[] }>(`${registryPath('/api/v0/repositories', repo.namespace, repo.name)}/tags`)
      .then((r) => live && setTags(r.tags), () => live && setTags('absent'));
    // Only an organization has teams; for anyone else's namespace this answers 404 or 403 and the grant form stays hidden.
    api.get<{ teams: Team[] }>(registryPath('/api/v0/accounts', repo.namespace, 'teams'))
      .then((r) => live && setTeams(r.teams), () => live && setTeams(null));
    return () => {
      live = false;
    };
  }, [api, version, repo.namespace, repo.name]);

  const base = registryPath('/api/v0/repositories', repo.namespace, repo.name);
  const remove = async (what: string, path: string) => {
    if (!window.confirm(`Delete ${what}? Its data goes at the next garbage collection.`)) return;
    try {
      await api.send('DELETE', path);
      ctx.done(`deleted ${what}`);
    } catch (err) {
      ctx.report(err);
    }
  };

  return (
    <div className="rc-panel">
      {tags === null && <p className="rc-muted">Loading tags…</p>}
      {Array.isArray(tags) && (
        <div data-testid={consoleIds.repoTags(full)}>
          {tags.length === 0 ? <p className="rc-muted">No tags yet: push one with <code>docker push {'<registry>'}/{full}:tag</code>.</p> : (
            <table className="rc-table">
              <thead><tr>{columns(tags).map((c) => <th key={c.header}>{c.header}</th>)}<th /></tr></thead>
              <tbody>{tags.map((t) => (
                <tr key={t.name} data-testid={consoleIds.tag(full, t.name)}>
                  {columns(tags).map((c) => <td key={c.header}>{c.render(t)}</td>)}
                  <td><button type="button" className="secondary" data-testid={consoleIds.tagDelete(full, t.name)}
                    onClick={() => void remove(`${full}:${t.name}`, `${base}/tags/${encodeURIComponent(t.name)}`)}>Delete</button></td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </div>
      )}
      {/* Keyed by the saved values: the form starts over from what the registry now says. */}
      <RepositorySettings key={JSON.stringify([repo.scanOnPush, repo.tagLimit, repo.shortDescription])} ctx={ctx} repo={repo} />
      {teams && <GrantAccess ctx={ctx} repo={repo} teams={teams} />}
      {/* Only with the tags API does the registry also delete repositories. */}
      {Array.isArray(tags) && (
        <button type="button" className="secondary" data-testid={consoleIds.repoDelete(full)} onClick={() => void remove(full, base)}>Delete repository</button>
      )}
    </div>
  );
}

function GrantAccess({ ctx, repo, teams }: { ctx: ConsoleContext; repo: RepositoryDetail; teams: Team[] }) {
  const full = `${repo.namespace}/${repo.name}`;
  const [team, setTeam] = useState(teams[0]?.name ?? '');
  const [level, setLevel] = useState('read-only');
  if (!teams.length) return <p className="rc-muted">Organization {repo.namespace} has no teams yet: create one under Organizations.</p>;
  const revoke = async (name: string) => {
    try {
      await ctx.api.send('DELETE', registryPath('/api/v0/repositories', repo.namespace, repo.name, 'teamAccess', name));
      ctx.done(`team ${repo.namespace}/${name} no longer has access to ${full}`);
    } catch (err) {
      ctx.report(err);
    }
  };
  return (
    <>
    {Object.keys(repo.teamAccess).length > 0 && (
      <ul className="rc-list">
        {Object.entries(repo.teamAccess).map(([name, access]) => (
          <li key={name}>{name}: {access}
            <button type="button" className="secondary" data-testid={consoleIds.repoRevoke(full, name)} onClick={() => void revoke(name)}>Revoke</button>
          </li>
        ))}
      </ul>
    )}
    <form className="rc-form" onSubmit={async (e) => {
      e.preventDefault();
      try {
        await ctx.api.send('PUT', registryPath('/api/v0/repositories', repo.namespace, repo.name, 'teamAccess', team), { accessLevel: level });
        ctx.done(`team ${repo.namespace}/${team} now has ${level} access to ${full}`);
      } catch (err) {
        ctx.report(err);
      }
    }}>
      <span className="rc-form-title">Team access</span>
      <select data-testid={consoleIds.repoGrant(full, 'team')} value={team} onChange={(e) => setTeam(e.target.value)} aria-label="team">
        {teams.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
      </select>
      <select data-testid={consoleIds.repoGrant(full, 'level')} value={level} onChange={(e) => setLevel(e.target.value)} aria-label="access level">
        <option value="read-only">read-only</option>
        <option value="read-write">read-write</option>
        <option value="admin">admin</option>
      </select>
      <button type="submit" data-testid={consoleIds.repoGrant(full, 'submit')}>Grant</button>
    </form>
    </>
  );
}
