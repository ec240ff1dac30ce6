/**
 * DTR's immutable repositories: once a tag exists it cannot be written again
 * (with another digest or the same). Decided by the tag write service
 * (tags/write-tag.ts) under the tag's lock, so a push and a promotion of one
 * tag meet this rule one at a time.
 *
 *   immutableTagProblem('admin/alpine', '3.6', { immutableTags: true }, 'sha256:…')
 *   // 'tag=3.6 cannot be overwritten because admin/alpine is an immutable repository'
 */
export function immutableTagProblem(repository: string, tag: string, settings: { immutableTags?: boolean } | undefined, currentDigest: string | null): string | null {
  if (!settings?.immutableTags || currentDigest === null) return null;
  return `tag=${tag} cannot be overwritten because ${repository} is an immutable repository`;
}
