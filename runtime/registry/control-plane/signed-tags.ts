/**
 * Which tags of a repository are signed, and by which roles — DTR's
 * `inNotary` in the tags API — read from notary-server over loopback (no
 * auth there: the caller has already decided the principal may view the
 * repository). The server validated every signature when the metadata was
 * published, so reading its current targets is enough to report them.
 *
 *   const signed = createSignedTags({ notary: { host: '127.0.0.1', port: 4443 }, host: 'dtr.labdock' });
 *   const tags = await signed('admin/alpine');
 *   tags.get('1.0')   // { digest: 'sha256:…', roles: ['targets', 'targets/releases'] } — undefined when unsigned
 *
 * A signature only vouches for the digest it names: compare it with the
 * tag's current digest (a tag re-pushed without signing keeps an old one).
 */
import http from 'node:http';
import type { NotaryAddress } from './trust-route';

export interface SignedTag {
  /** `sha256:<hex>` of the manifest the signature is for. */
  digest: string;
  /** TUF roles whose targets list the tag: `targets`, `targets/releases`, … */
  roles: string[];
}

interface TargetsMeta {
  signed?: {
    targets?: Record<string, { hashes?: Record<string, string> }>;
    delegations?: { roles?: { name?: string }[] };
  };
}

/** Delegations may nest (targets/a/b); deeper than this is not something a lab builds. */
const MAX_ROLES = 64;

export function createSignedTags(options: { notary?: NotaryAddress; host: string; timeoutMs?: number }) {
  const timeoutMs = options.timeoutMs ?? 5000;

  /** A role's current metadata, or null when the server has none (never signed). */
  function role(gun: string, name: string): Promise<TargetsMeta | null> {
    const notary = options.notary!;
    return new Promise((resolve, reject) => {
      const req = http.get({ host: notary.host, port: notary.port, path: `/v2/${gun}/_trust/tuf/${name}.json`, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 404) return resolve(null);
          if (res.statusCode !== 200) return reject(new Error(`notary-server answered ${res.statusCode} for ${gun} ${name}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as TargetsMeta);
          } catch {
            reject(new Error(`notary-server sent ${name} of ${gun} that is not JSON`));
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`notary-server did not answer in ${timeoutMs} ms`)));
      req.on('error', reject);
    });
  }

  /** Throws when notary-server cannot be asked; an empty map when the repository has no trust data (or trust is off). */
  return async function signedTags(repository: string): Promise<Map<string, SignedTag>> {
    const found: { role: string; tag: string; digest: string }[] = [];
    if (!options.notary) return new Map();
    await options.notary.ready?.();
    const gun = `${options.host}/${repository}`;
    const queue = ['targets'];
    const seen = new Set<string>();
    while (queue.length && seen.size < MAX_ROLES) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const meta = await role(gun, name);
      for (const [tag, target] of Object.entries(meta?.signed?.targets ?? {})) {
        const sha = target.hashes?.sha256;
        if (sha) found.push({ role: name, tag, digest: `sha256:${Buffer.from(sha, 'base64').toString('hex')}` });
      }
      for (const d of meta?.signed?.delegations?.roles ?? []) if (d.name) queue.push(d.name);
    }
    // Roles may disagree on a tag's digest: docker trusts targets/releases first, then targets, so that digest is the tag's.
    const rank = (r: string) => (r === 'targets/releases' ? 0 : r === 'targets' ? 1 : 2);
    found.sort((a, b) => rank(a.role) - rank(b.role));
    const out = new Map<string, SignedTag>();
    for (const { role: name, tag, digest } of found) {
      const entry = out.get(tag);
      if (!entry) out.set(tag, { digest, roles: [name] });
      else if (entry.digest === digest) entry.roles.push(name);
    }
    return out;
  };
}
