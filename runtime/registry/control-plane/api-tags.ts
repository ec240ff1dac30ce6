/**
 * Tags and repository deletion in the DTR-style API — what Distribution's
 * own API cannot do (runtime/registry/storage):
 *
 *   GET    /api/v0/repositories/:namespace/:repo/tags         the tags, newest push first   (view):
 *          name, digest, author, createdAt, updatedAt, manifest {mediaType, size, layers, os, architecture}
 *   DELETE /api/v0/repositories/:namespace/:repo/tags/:tag    soft delete of one tag        (delete)
 *   DELETE /api/v0/repositories/:namespace/:repo              soft delete of the repository (delete)
 *
 * Deletes are writes: refused while garbage collection holds the registry read-only.
 */
import type { Accounts } from './accounts';
import { ApiError, decodePart } from './api-common';
import type { RegistryStorage } from '../storage/registry-storage';
import type { WriteGate } from '../gc/write-gate';
import type { EventBus } from '../events/event-bus';
import type { ActivityLog } from '../events/activity-log';
import { describeManifest } from '../storage/describe-manifest';
import type { SignedTag } from './signed-tags';
import { repositoryPathProblem, tagNameProblem } from '../policy/names';
import { allowedActions, type Action, type Principal } from '../policy/roles';

export interface TagsApiDeps {
  accounts: Accounts;
  storage: RegistryStorage;
  gate: WriteGate;
  bus: EventBus;
  /** Who pushed a tag, and when it was first pushed, come from the activity log. */
  activity: ActivityLog;
  /** DTR's `vuln_summary` of a manifest, when scanning knows it. */
  vulnSummaryOf?: (digest: string) => unknown;
  /** Which tags Notary holds signatures for (content trust); absent when the node runs no Notary. */
  signedTags?: (repository: string) => Promise<Map<string, SignedTag>>;
  log?: (message: string) => void;
}

export function createTagsApi(deps: TagsApiDeps) {
  const log = deps.log ?? (() => undefined);

  /** The repository, if the principal may see it (404 otherwise: its existence is not revealed), and what they may do. */
  function visible(principal: Principal, repository: string): Set<Action> {
    const problem = repositoryPathProblem(repository);
    if (problem) throw new ApiError(400, 'INVALID_NAME', problem);
    const allowed = allowedActions(principal, deps.accounts.grants(repository, principal));
    const known = deps.accounts.repository(repository) || deps.storage.listTags(repository).length > 0;
    if (!known || !allowed.has('view')) throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${repository}`);
    return allowed;
  }

  function write<T>(run: () => T): T {
    if (!deps.gate.enter()) throw new ApiError(503, 'READ_ONLY', 'the registry is read-only while garbage collection runs: try again in a moment');
    try {
      return run();
    } finally {
      deps.gate.leave();
    }
  }

  return async function handle(method: string, pathname: string, principal: Principal): Promise<{ status: number; body: unknown } | null> {
    const parts = pathname.replace(/^\/api\/v0\//, '').split('/').filter(Boolean).map(decodePart);
    if (parts[0] !== 'repositories' || parts.length < 3) return null;
    const repository = `${parts[1]}/${parts[2]}`;

    // GET /api/v0/repositories/:namespace/:repo/tags — the tags, newest push first
    if (parts.length === 4 && parts[3] === 'tags' && method === 'GET') {
      visible(principal, repository);
      const pushes = deps.activity.list({ repository, type: 'TAG_PUSH', limit: 10_000 }); // newest first
      // null when trust data cannot be read: unknown, not "unsigned".
      const signed = deps.signedTags ? await deps.signedTags(repository).catch((err: Error) => (log(`trust data of ${repository}: ${err.message}`), null)) : null;
      const tags = deps.storage.listTags(repository).reverse().map((t) => {
        const ofTag = pushes.filter((e) => e.tag === t.name);
        return {
          name: t.name,
          digest: t.digest,
          author: ofTag[0]?.actor ?? '',
          createdAt: ofTag[ofTag.length - 1]?.createdAt ?? t.updatedAt.toISOString(),
          updatedAt: t.updatedAt.toISOString(),
          manifest: describeManifest(deps.storage, t.digest),
          vuln_summary: deps.vulnSummaryOf?.(t.digest) ?? null,
          // A signature vouches for one digest: a tag pushed again unsigned is not in Notary any more.
          inNotary: signed ? signed.get(t.name)?.digest === t.digest : null,
          signedBy: signed?.get(t.name)?.digest === t.digest ? signed.get(t.name)!.roles : [],
        };
      });
      return { status: 200, body: { repository, tags } };
    }

    // DELETE /api/v0/repositories/:namespace/:repo/tags/:tag — soft delete one tag
    if (parts.length === 5 && parts[3] === 'tags' && method === 'DELETE') {
      const tag = parts[4];
      const tagProblem = tagNameProblem(tag);
      if (tagProblem) throw new ApiError(400, 'INVALID_TAG', tagProblem);
      if (!visible(principal, repository).has('delete')) throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} may not delete tags of ${repository}`);
      const deleted = write(() => deps.storage.deleteTag(repository, tag));
      if (!deleted) throw new ApiError(404, 'NO_SUCH_TAG', `${repository} has no tag ${tag}`);
      log(`${principal.name} deleted ${repository}:${tag}`);
      deps.bus.publish({ type: 'TAG_DELETE', repository, tag, actor: principal.name });
      return { status: 204, body: null };
    }

    // DELETE /api/v0/repositories/:namespace/:repo — soft delete the repository and its settings
    if (parts.length === 3 && method === 'DELETE') {
      if (!visible(principal, repository).has('delete')) throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} may not delete ${repository}`);
      write(() => {
        deps.storage.deleteRepository(repository);
        deps.accounts.update((data) => {
          data.repositories = data.repositories.filter((r) => `${r.namespace}/${r.name}` !== repository);
        });
      });
      log(`${principal.name} deleted ${repository}`);
      deps.bus.publish({ type: 'REPO_DELETE', repository, actor: principal.name });
      return { status: 204, body: null };
    }
    return null;
  };
}
