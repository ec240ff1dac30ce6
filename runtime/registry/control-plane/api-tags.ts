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
 * A repository only pushed to (never created through the API) is known here too.
 */
import type { Accounts } from './accounts';
import { ApiError } from './api-common';
import { route, type ApiRoute } from '../api/api-route';
import { repository } from '../api/permissions';
import type { RegistryStorage } from '../storage/registry-storage';
import type { WriteGate } from '../gc/write-gate';
import type { EventBus } from '../events/event-bus';
import type { ActivityLog } from '../events/activity-log';
import { describeManifest } from '../storage/describe-manifest';
import type { SignedTag } from './signed-tags';
import { tagNameProblem } from '../policy/names';

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

export function tagsRoutes(deps: TagsApiDeps): ApiRoute[] {
  const log = deps.log ?? (() => undefined);
  const repoPath = '/repositories/{namespace}/{repo}';
  const nameOf = (p: Record<string, string>) => `${p.namespace}/${p.repo}`;

  function write<T>(run: () => T): T {
    if (!deps.gate.enter()) throw new ApiError(503, 'READ_ONLY', 'the registry is read-only while garbage collection runs: try again in a moment');
    try {
      return run();
    } finally {
      deps.gate.leave();
    }
  }

  return [
    route({
      method: 'GET', path: `${repoPath}/tags`, tag: 'tags', summary: 'Tags, newest push first: name, digest, author, createdAt, updatedAt, manifest, vuln_summary, signatures', permission: [repository('view', 'recorded-or-pushed')],
      handler: async ({ params }) => {
        const name = nameOf(params);
        const pushes = deps.activity.list({ repository: name, type: 'TAG_PUSH', limit: 10_000 }); // newest first
        // null when trust data cannot be read: unknown, not "unsigned".
        const signed = deps.signedTags ? await deps.signedTags(name).catch((err: Error) => (log(`trust data of ${name}: ${err.message}`), null)) : null;
        const tags = deps.storage.listTags(name).reverse().map((t) => {
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
        return { status: 200, body: { repository: name, tags } };
      },
    }),
    route({
      method: 'DELETE', path: `${repoPath}/tags/{tag}`, tag: 'tags', summary: 'Soft delete one tag (its other tags and the manifest stay until garbage collection)', permission: [repository('delete', 'recorded-or-pushed')],
      handler: ({ principal, params }) => {
        const name = nameOf(params);
        const tagProblem = tagNameProblem(params.tag);
        if (tagProblem) throw new ApiError(400, 'INVALID_TAG', tagProblem);
        const deleted = write(() => deps.storage.deleteTag(name, params.tag));
        if (!deleted) throw new ApiError(404, 'NO_SUCH_TAG', `${name} has no tag ${params.tag}`);
        log(`${principal.name} deleted ${name}:${params.tag}`);
        deps.bus.publish({ type: 'TAG_DELETE', repository: name, tag: params.tag, actor: principal.name });
        return { status: 204, body: null };
      },
    }),
    route({
      method: 'DELETE', path: repoPath, tag: 'repositories', summary: 'Soft delete the repository (its blobs go at the next garbage collection)', permission: [repository('delete', 'recorded-or-pushed')],
      handler: ({ principal, params }) => {
        const name = nameOf(params);
        write(() => {
          deps.storage.deleteRepository(name);
          deps.accounts.update((data) => {
            data.repositories = data.repositories.filter((r) => `${r.namespace}/${r.name}` !== name);
          });
        });
        log(`${principal.name} deleted ${name}`);
        deps.bus.publish({ type: 'REPO_DELETE', repository: name, actor: principal.name });
        return { status: 204, body: null };
      },
    }),
  ];
}
