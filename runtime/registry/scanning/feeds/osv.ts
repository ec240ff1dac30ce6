/**
 * OSV JSON (https://ossf.github.io/osv-schema/): one record per vulnerability,
 * `affected[]` entries naming an ecosystem ("Alpine:v3.6", "Debian:12") and a
 * package, with ECOSYSTEM ranges of introduced/fixed events. Severity comes
 * from `database_specific.severity` or a CVSS v3 score when present.
 */
import { z } from 'zod';
import { alpineBranch, type Distro } from '../package-db';
import { cveUrl, type Advisory, type Severity, type VulnFeed } from './feed';

const osvRecord = z.object({
  id: z.string(),
  aliases: z.array(z.string()).default([]),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).default([]),
  database_specific: z.object({ severity: z.string().optional() }).passthrough().optional(),
  affected: z.array(z.object({
    package: z.object({ ecosystem: z.string(), name: z.string() }),
    ranges: z.array(z.object({
      type: z.string(),
      events: z.array(z.object({ introduced: z.string().optional(), fixed: z.string().optional() })),
    })).default([]),
  })).default([]),
});

export function osvFeed(documents: string[]): VulnFeed {
  const index = new Map<string, Advisory[]>(); // "Alpine:v3.6/musl" → advisories
  for (const text of documents) {
    const raw = JSON.parse(text) as unknown;
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      const parsed = osvRecord.safeParse(item);
      if (!parsed.success) throw new Error(`not an OSV record: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
      const rec = parsed.data;
      const id = [rec.id, ...rec.aliases].find((a) => a.startsWith('CVE-')) ?? rec.id;
      const severity = severityOf(rec);
      for (const a of rec.affected) {
        const key = `${a.package.ecosystem}/${a.package.name}`;
        const list = index.get(key) ?? [];
        for (const range of a.ranges.filter((r) => r.type === 'ECOSYSTEM')) {
          let introduced: string | null = null;
          for (const e of range.events) {
            if (e.introduced !== undefined) introduced = e.introduced === '0' ? null : e.introduced;
            if (e.fixed !== undefined) {
              list.push({ id, fixed: e.fixed, introduced, severity, url: cveUrl(id) });
              introduced = null;
            }
          }
          if (range.events.length && range.events.at(-1)?.fixed === undefined) list.push({ id, fixed: null, introduced, severity, url: cveUrl(id) });
        }
        index.set(key, list);
      }
    }
  }
  return {
    format: 'osv',
    coverage: [...new Set([...index.keys()].map((k) => k.split('/')[0]))].sort(),
    advisories(distro: Distro, sourcePackage: string) {
      return index.get(`${ecosystemOf(distro)}/${sourcePackage}`) ?? [];
    },
  };
}

function ecosystemOf(distro: Distro): string {
  if (distro.id === 'alpine') return `Alpine:${alpineBranch(distro.versionId)}`;
  if (distro.id === 'debian') return `Debian:${distro.versionId.split('.')[0]}`;
  return `${distro.id}:${distro.versionId}`;
}

/**
 * DTR's three levels: critical (CVSS ≥ 7, "high"/"critical"), major (4–6.9,
 * "medium"), minor (< 4, "low"). A CVSS vector without a score says nothing
 * numeric, so it yields null rather than a guess.
 */
function severityOf(rec: z.infer<typeof osvRecord>): Severity | null {
  const text = rec.database_specific?.severity?.toLowerCase();
  if (text === 'critical' || text === 'high') return 'critical';
  if (text === 'medium' || text === 'moderate') return 'major';
  if (text === 'low') return 'minor';
  const scored = rec.severity.map((s) => Number(s.score)).find((n) => !Number.isNaN(n));
  if (scored === undefined) return null;
  return scored >= 7 ? 'critical' : scored >= 4 ? 'major' : 'minor';
}
