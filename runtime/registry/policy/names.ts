/**
 * Repository and tag name rules of the bundled registry, as DTR documents them
 * (seed 003) and Distribution's grammar allows:
 *   repository: 2–255 characters of lowercase letters, digits, `-`, `_` (and `.`
 *               between parts), under a namespace (`admin/alpine`);
 *   tag:        1–128 ASCII characters [A-Za-z0-9_.-], not starting with `.` or `-`.
 * Each rule returns the reason a name is refused, or null, so the API can
 * answer 400 with a message a learner understands.
 */

const REPO_PART = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function repositoryNameProblem(name: string): string | null {
  if (name.length < 2 || name.length > 255) return `repository name "${name}" must be 2 to 255 characters long`;
  if (name !== name.toLowerCase()) return `repository name "${name}" must be lowercase`;
  if (!REPO_PART.test(name)) return `repository name "${name}" may contain only lowercase letters, digits, and - _ . between them`;
  return null;
}

/** `namespace/repository`: the namespace is a user or an organization. */
export function repositoryPathProblem(path: string): string | null {
  const parts = path.split('/');
  if (parts.length !== 2) return `"${path}" must be <namespace>/<repository>, e.g. admin/alpine`;
  const [namespace, repository] = parts;
  return accountNameProblem(namespace) ?? repositoryNameProblem(repository);
}

export function accountNameProblem(name: string): string | null {
  if (!/^[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?$/.test(name)) return `account name "${name}" must be 1 to 100 lowercase letters, digits, - or _, starting and ending with a letter or digit`;
  return null;
}

/**
 * Names an account may be created with: `labdock-` names belong to the
 * platform (its hidden account is one). Refused by the name alone, so the
 * answer is the same whether such an account exists or not.
 */
export function newAccountNameProblem(name: string): string | null {
  if (name.startsWith('labdock-')) return `account name "${name}" is reserved: names starting with labdock- belong to the platform`;
  return accountNameProblem(name);
}

export function tagNameProblem(tag: string): string | null {
  if (tag.length === 0 || tag.length > 128) return `tag "${tag}" must be 1 to 128 characters long`;
  if (tag.startsWith('.') || tag.startsWith('-')) return `tag "${tag}" must not start with "." or "-"`;
  if (!TAG.test(tag)) return `tag "${tag}" may contain only ASCII letters, digits, _ . and -`;
  return null;
}
