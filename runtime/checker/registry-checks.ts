/**
 * Typed registry checks: assertions about the session registry's state,
 * written in a lab as YAML and evaluated through the registry's API (as the
 * platform's own account), each failure with a message generated from what
 * was expected and what is there. One table of kinds — schema, then how to
 * evaluate it — so a new kind is one entry.
 *
 *   ```yaml registry-check
 *   - repository: admin/alpine
 *     immutableTags: true
 *   - tag: admin/alpine:3.3
 *     signed: false
 *     scanned: true
 *     vulnerabilities: { min: 1 }
 *   ```
 *
 *   const checks = parseRegistryChecks(yamlText);            // throws RegistryCheckError with the reason
 *   await evaluateRegistryChecks(checks, read)               // { passed, message }
 */
import { parse } from 'yaml';
import { z } from 'zod';

const repo = z.string().regex(/^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/, 'write namespace/repository');
const repoTag = z.string().regex(/^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'write namespace/repository:tag');
const name = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a lowercase account name');
const role = z.enum(['read-only', 'read-write', 'admin']);

const KINDS = {
  repository: z.object({ repository: repo, exists: z.boolean().default(true), visibility: z.enum(['public', 'private']).optional(), immutableTags: z.boolean().optional(), scanOnPush: z.boolean().optional(), tagLimit: z.number().int().min(0).optional() }).strict(),
  tag: z.object({ tag: repoTag, exists: z.boolean().default(true), signed: z.boolean().optional(), scanned: z.boolean().optional(), vulnerabilities: z.object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).strict().optional(), sameDigestAs: repoTag.optional() }).strict(),
  user: z.object({ user: name, exists: z.boolean().default(true), globalRole: z.enum(['none', 'read-only', 'read-write', 'admin']).optional() }).strict(),
  organization: z.object({ organization: name, exists: z.boolean().default(true) }).strict(),
  team: z.object({ team: z.string().regex(/^[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*$/, 'write organization/team'), exists: z.boolean().default(true), members: z.array(name).optional() }).strict(),
  teamAccess: z.object({ teamAccess: repo, team: name, accessLevel: role.nullable() }).strict(),
} as const;

type Kind = keyof typeof KINDS;
export type RegistryCheck = { [K in Kind]: { kind: K } & z.infer<(typeof KINDS)[K]> }[Kind];

export class RegistryCheckError extends Error {}

/** The checks of one block; every item names its kind by its first key. */
export function parseRegistryChecks(text: string): RegistryCheck[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new RegistryCheckError(`registry-check is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(doc) || doc.length === 0) throw new RegistryCheckError('a registry-check block is a YAML list of checks (- repository: …, - tag: …)');
  return doc.map((item, i) => {
    const kind = Object.keys((item as object) ?? {}).find((k): k is Kind => k in KINDS);
    if (!kind) throw new RegistryCheckError(`check ${i + 1} names no kind: start it with one of ${Object.keys(KINDS).join(', ')}`);
    const r = KINDS[kind].safeParse(item);
    if (!r.success) throw new RegistryCheckError(`check ${i + 1} (${kind}): ${r.error.issues[0].path.join('.') || kind}: ${r.error.issues[0].message}`);
    return { kind, ...r.data } as RegistryCheck;
  });
}

/** Reads one registry API path (as the platform); status and JSON body. */
export type RegistryRead = (path: string) => Promise<{ status: number; body: unknown }>;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const split = (ref: string) => {
  const [repository, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
  return { repository, tag };
};

async function get(read: RegistryRead, path: string): Promise<Json | null> {
  const { status, body } = await read(path);
  if (status === 404) return null;
  if (status !== 200) throw new Error(`the registry answered ${status} for ${path}`);
  return body as Json;
}

/** null when the check holds; otherwise what is missing, for the learner. */
async function failureOf(c: RegistryCheck, read: RegistryRead): Promise<string | null> {
  switch (c.kind) {
    case 'repository': {
      const r = await get(read, `/api/v0/repositories/${c.repository}`);
      if (!c.exists) return r ? `${c.repository} still exists: delete it.` : null;
      if (!r) return `There is no repository ${c.repository} yet.`;
      for (const key of ['visibility', 'immutableTags', 'scanOnPush', 'tagLimit'] as const) {
        if (c[key] !== undefined && r[key] !== c[key]) return `${c.repository} exists but ${key} is ${JSON.stringify(r[key])}, not ${JSON.stringify(c[key])}.`;
      }
      return null;
    }
    case 'tag': {
      const { repository, tag } = split(c.tag);
      const tags = ((await get(read, `/api/v0/repositories/${repository}/tags`))?.tags ?? []) as Json[];
      const t = tags.find((x) => x.name === tag);
      if (!c.exists) return t ? `${c.tag} is still there: delete the tag.` : null;
      if (!t) return `${repository} has no tag ${tag} yet.`;
      if (c.signed !== undefined && t.inNotary !== c.signed) {
        if (t.inNotary === null || t.inNotary === undefined) return `The registry cannot tell whether ${c.tag} is signed right now: try again.`;
        return c.signed ? `${c.tag} is not signed: push it with DOCKER_CONTENT_TRUST=1 (or docker trust sign it).` : `${c.tag} is signed, and should not be.`;
      }
      if (c.sameDigestAs) {
        const other = split(c.sameDigestAs);
        const o = (((await get(read, `/api/v0/repositories/${other.repository}/tags`))?.tags ?? []) as Json[]).find((x) => x.name === other.tag);
        if (!o) return `${c.sameDigestAs} does not exist, so ${c.tag} cannot match it.`;
        if (o.digest !== t.digest) return `${c.tag} is ${String(t.digest).slice(0, 19)}…, not the same image as ${c.sameDigestAs} (${String(o.digest).slice(0, 19)}…).`;
      }
      if (c.scanned !== undefined || c.vulnerabilities) {
        const s = t.vuln_summary as Json | null;
        const status = s?.last_scan_status ?? 'never scanned';
        if (c.scanned === false) return status === 'completed' ? `${c.tag} was scanned, and should not have been.` : null;
        if (status !== 'completed') return `${c.tag} has not been scanned (its scan is ${status}): is scanning on, and scan on push?`;
        const total = s!.critical + s!.major + s!.minor + (s!.unknown ?? 0);
        if (c.vulnerabilities?.min !== undefined && total < c.vulnerabilities.min) return `${c.tag} has ${total} vulnerabilities, expected at least ${c.vulnerabilities.min}.`;
        if (c.vulnerabilities?.max !== undefined && total > c.vulnerabilities.max) return `${c.tag} has ${total} vulnerabilities, expected at most ${c.vulnerabilities.max}.`;
      }
      return null;
    }
    case 'user': {
      const u = await get(read, `/api/v0/accounts/${c.user}`);
      if (!c.exists) return u ? `The user ${c.user} still exists.` : null;
      if (!u || u.type !== 'user') return `There is no user ${c.user} yet.`;
      if (c.globalRole && u.globalRole !== c.globalRole) return `${c.user} exists but their global role is ${u.globalRole}, not ${c.globalRole}.`;
      return null;
    }
    case 'organization': {
      const o = await get(read, `/api/v0/accounts/${c.organization}`);
      if (!c.exists) return o ? `The organization ${c.organization} still exists.` : null;
      return o?.type === 'organization' ? null : `There is no organization ${c.organization} yet.`;
    }
    case 'team': {
      const [org, team] = c.team.split('/');
      const t = await get(read, `/api/v0/accounts/${org}/teams/${team}`);
      if (!c.exists) return t ? `The team ${c.team} still exists.` : null;
      if (!t) return `There is no team ${c.team} yet.`;
      const missing = (c.members ?? []).filter((m) => !(t.members as string[]).includes(m));
      return missing.length ? `The team ${c.team} exists but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not a member yet.` : null;
    }
    case 'teamAccess': {
      const r = await get(read, `/api/v0/repositories/${c.teamAccess}`);
      if (!r) return `There is no repository ${c.teamAccess} yet.`;
      const level = (r.teamAccess as Record<string, string>)[c.team] ?? null;
      if (level === c.accessLevel) return null;
      if (c.accessLevel === null) return `The team ${c.team} still has ${level} access to ${c.teamAccess}.`;
      return level ? `The team ${c.team} has ${level} access to ${c.teamAccess}, not ${c.accessLevel}.` : `The team ${c.team} has no access to ${c.teamAccess} yet: give it ${c.accessLevel}.`;
    }
  }
}

/** All checks in order; the first that fails decides. Errors fail closed with their reason. */
export async function evaluateRegistryChecks(checks: RegistryCheck[], read: RegistryRead): Promise<{ passed: boolean; message: string }> {
  for (const c of checks) {
    let failure: string | null;
    try {
      failure = await failureOf(c, read);
    } catch (err) {
      return { passed: false, message: `The registry could not be checked: ${(err as Error).message}` };
    }
    if (failure) return { passed: false, message: failure };
  }
  return { passed: true, message: 'Done.' };
}
