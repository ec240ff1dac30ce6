'use client';
/**
 * A repository's other settings, shown for the ones the registry reports:
 * scan on push, tag limit (oldest tags pruned beyond it; 0 is none) and the
 * short description. Saved together with one PATCH.
 */
import { useState } from 'react';
import { registryPath, type RepositoryDetail } from '@/app/lib/registry-api';
import { consoleIds } from './console-ids';
import type { ConsoleContext } from './console-context';

export function RepositorySettings({ ctx, repo }: { ctx: ConsoleContext; repo: RepositoryDetail }) {
  const full = `${repo.namespace}/${repo.name}`;
  const [scanOnPush, setScanOnPush] = useState(!!repo.scanOnPush);
  const [tagLimit, setTagLimit] = useState(String(repo.tagLimit ?? 0));
  const [description, setDescription] = useState(repo.shortDescription ?? '');
  // Older registries know none of these: nothing to show.
  if (repo.scanOnPush === undefined && repo.tagLimit === undefined && repo.shortDescription === undefined) return null;
  return (
    <form className="rc-form" onSubmit={async (e) => {
      e.preventDefault();
      const limit = Number(tagLimit);
      if (!Number.isInteger(limit) || limit < 0) return ctx.report(new Error('the tag limit is a whole number, 0 for none'));
      try {
        await ctx.api.send('PATCH', registryPath('/api/v0/repositories', repo.namespace, repo.name), {
          ...(repo.scanOnPush !== undefined ? { scanOnPush } : {}),
          ...(repo.tagLimit !== undefined ? { tagLimit: limit } : {}),
          ...(repo.shortDescription !== undefined ? { shortDescription: description } : {}),
        });
        ctx.done(`saved the settings of ${full}`);
      } catch (err) {
        ctx.report(err);
      }
    }}>
      <span className="rc-form-title">Settings</span>
      {repo.scanOnPush !== undefined && (
        <label><input type="checkbox" data-testid={consoleIds.repoSetting(full, 'scanOnPush')} checked={scanOnPush}
          onChange={(e) => setScanOnPush(e.target.checked)} /> scan on push</label>
      )}
      {repo.tagLimit !== undefined && (
        <label>tag limit <input type="number" min={0} data-testid={consoleIds.repoSetting(full, 'tagLimit')} value={tagLimit}
          onChange={(e) => setTagLimit(e.target.value)} style={{ width: '6em' }} /></label>
      )}
      {repo.shortDescription !== undefined && (
        <input data-testid={consoleIds.repoSetting(full, 'shortDescription')} value={description} maxLength={140}
          onChange={(e) => setDescription(e.target.value)} placeholder="short description" aria-label="short description" size={30} />
      )}
      <button type="submit" className="secondary" data-testid={consoleIds.repoSetting(full, 'save')}>Save</button>
    </form>
  );
}
