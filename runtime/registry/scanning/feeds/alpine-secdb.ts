/**
 * The Alpine secdb format (https://secdb.alpinelinux.org/, YAML or JSON): one
 * document per branch and repository, listing source packages with
 * `secfixes: { <fixed version>: [CVE ids] }`. A fixed version of "0" means the
 * CVE never affected that branch.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { alpineBranch, type Distro } from '../package-db';
import { cveUrl, type Advisory, type VulnFeed } from './feed';

const secdbDocument = z.object({
  distroversion: z.string().regex(/^v\d+\.\d+$/),
  reponame: z.string(),
  // Some published branches list no packages at all (`packages:` with nothing under it).
  packages: z.array(z.object({
    pkg: z.object({
      name: z.string(),
      secfixes: z.record(z.string(), z.array(z.string()).nullable()).nullable().default({}),
    }),
  })).nullable().default([]).transform((p) => p ?? []),
});

/** Parses one secdb document (YAML or JSON — JSON is YAML). Throws with the reason on a malformed one. */
export function parseSecdb(text: string): z.infer<typeof secdbDocument> {
  const parsed = secdbDocument.safeParse(parse(text));
  if (!parsed.success) throw new Error(`not an Alpine secdb document: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export function alpineSecdbFeed(documents: string[]): VulnFeed {
  // branch → source package → advisories
  const index = new Map<string, Map<string, Advisory[]>>();
  for (const text of documents) {
    const doc = parseSecdb(text);
    const branch = index.get(doc.distroversion) ?? new Map<string, Advisory[]>();
    index.set(doc.distroversion, branch);
    for (const { pkg } of doc.packages) {
      const list = branch.get(pkg.name) ?? [];
      for (const [fixed, ids] of Object.entries(pkg.secfixes ?? {})) {
        if (fixed === '0') continue;
        for (const raw of ids ?? []) {
          // Entries look like "CVE-2017-15650" or "CVE-2019-14697 XSA-…": the first word is the id.
          const id = raw.trim().split(/\s+/)[0];
          if (id) list.push({ id, fixed, introduced: null, severity: null, url: cveUrl(id) });
        }
      }
      branch.set(pkg.name, list);
    }
  }
  return {
    format: 'alpine-secdb',
    coverage: [...index.keys()].sort().map((b) => `alpine:${b}`),
    advisories(distro: Distro, sourcePackage: string) {
      if (distro.id !== 'alpine') return [];
      return index.get(alpineBranch(distro.versionId))?.get(sourcePackage) ?? [];
    },
  };
}
