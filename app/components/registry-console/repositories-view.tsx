'use client';
/**
 * Repositories the signed-in user can see, with visibility, immutability and
 * team access; creating one in the user's own namespace or an organization;
 * changing visibility and immutability (the registry refuses users who may
 * not manage the repository, and the console shows its words).
 */
import { useEffect, useState } from 'react';
import { registryPath, type RepositoryDetail, type RepositorySummary } from '@/app/lib/registry-api';
import { consoleIds } from './console-ids';
import type { ConsoleContext } from './console-context';
import { RepositoryPanel } from './repository-panel';

export function RepositoriesView({ ctx }: { ctx: ConsoleContext }) {
  const { api, version } = ctx;
  const [repos, setRepos] = useState<RepositoryDetail[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      const { repositories } = await api.get<{ repositories: (RepositorySummary & Partial<RepositoryDetail>)[] }>('/api/v0/repositories');
      // Current registries list every setting; older ones only names and visibility, so ask each repository then.
      const details = await Promise.all(repositories.map((r) => (r.teamAccess && typeof r.immutableTags === 'boolean')
        ? r as RepositoryDetail
        : api.get<RepositoryDetail>(registryPath('/api/v0/repositories', r.namespace, r.name)).catch(() => ({ ...r, immutableTags: false, teamAccess: {} }))));
      if (live) setRepos(details);
    })().catch((err) => live && ctx.report(err));
    return () => {
      live = false;
    };
  }, [api, version, ctx]);

  const patch = async (r: RepositoryDetail, change: Partial<Pick<RepositoryDetail, 'visibility' | 'immutableTags'>>) => {
    try {
      await api.send('PATCH', registryPath('/api/v0/repositories', r.namespace, r.name), change);
      ctx.done(`${r.namespace}/${r.name}: ${Object.entries(change).map(([k, v]) => `${k} → ${v}`).join(', ')}`);
    } catch (err) {
      ctx.report(err);
    }
  };

  return (
    <section aria-label="repositories">
      <CreateRepository ctx={ctx} />
      {repos === null ? <p className="rc-muted">Loading repositories…</p> : repos.length === 0 ? (
        <p className="rc-muted">{ctx.username} can see no repositories yet.</p>
      ) : (
        <table className="rc-table">
          <thead><tr><th>repository</th><th>visibility</th><th>immutable tags</th><th>team access</th></tr></thead>
          <tbody>
            {repos.map((r) => {
              const full = `${r.namespace}/${r.name}`;
              return [
                <tr key={full} data-testid={consoleIds.repo(full)}>
                  <td>
                    <button type="button" className="icon rc-link" aria-expanded={open === full} data-testid={consoleIds.repoOpen(full)}
                      onClick={() => setOpen(open === full ? null : full)}>{open === full ? '▾' : '▸'} {full}</button>
                    {r.namespace === ctx.username && <span className="rc-tag">yours</span>}
                  </td>
                  <td>
                    <select data-testid={consoleIds.repoVisibility(full)} value={r.visibility} aria-label={`visibility of ${full}`}
                      onChange={(e) => void patch(r, { visibility: e.target.value as RepositoryDetail['visibility'] })}>
                      <option value="private">private</option>
                      <option value="public">public</option>
                    </select>
                  </td>
                  <td>
                    <input type="checkbox" data-testid={consoleIds.repoImmutable(full)} checked={r.immutableTags} aria-label={`immutable tags in ${full}`}
                      onChange={(e) => void patch(r, { immutableTags: e.target.checked })} />
                  </td>
                  <td data-testid={consoleIds.repoAccess(full)}>
                    {Object.entries(r.teamAccess).map(([team, level]) => `${team}: ${level}`).join(', ') || <span className="rc-muted">none</span>}
                  </td>
                </tr>,
                open === full && (
                  <tr key={`${full}/panel`} className="rc-panel-row"><td colSpan={4}><RepositoryPanel ctx={ctx} repo={r} /></td></tr>
                ),
              ];
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CreateRepository({ ctx }: { ctx: ConsoleContext }) {
  const orgs = ctx.accounts.filter((a) => a.type === 'organization').map((a) => a.name);
  const [namespace, setNamespace] = useState(ctx.username);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<'private' | 'public'>('private');
  return (
    <form className="rc-form" onSubmit={async (e) => {
      e.preventDefault();
      try {
        await ctx.api.send('POST', registryPath('/api/v0/repositories', namespace.trim()), { name: name.trim(), visibility });
        setName('');
        ctx.done(`created ${namespace}/${name.trim()} (${visibility})`);
      } catch (err) {
        ctx.report(err);
      }
    }}>
      <span className="rc-form-title">New repository</span>
      {/* Admins pick from every organization; others type the organization they manage. */}
      <input list="rc-namespaces" data-testid={consoleIds.repoCreate('namespace')} value={namespace} onChange={(e) => setNamespace(e.target.value)}
        aria-label="namespace" placeholder="namespace" spellCheck={false} size={14} />
      <datalist id="rc-namespaces">
        {[ctx.username, ...orgs].map((n) => <option key={n} value={n} />)}
      </datalist>
      <span>/</span>
      <input data-testid={consoleIds.repoCreate('name')} value={name} onChange={(e) => setName(e.target.value)} aria-label="repository name"
        placeholder="name" spellCheck={false} size={16} />
      <select data-testid={consoleIds.repoCreate('visibility')} value={visibility} aria-label="visibility"
        onChange={(e) => setVisibility(e.target.value as 'private' | 'public')}>
        <option value="private">private</option>
        <option value="public">public</option>
      </select>
      <button type="submit" data-testid={consoleIds.repoCreate('submit')} disabled={!name.trim() || !namespace.trim()}>Create</button>
    </form>
  );
}
