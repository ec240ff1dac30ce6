/**
 * Vulnerability feeds behind one interface, one implementation per format
 * (the way Distribution registers storage drivers by name). Each answers: for
 * this distribution and source package, which advisories apply, and from which
 * version on are they fixed?
 *
 *   const feed = loadFeed('alpine-secdb', files);
 *   feed.advisories({ id: 'alpine', versionId: '3.3.3', … }, 'musl')
 *     // [{ id: 'CVE-2016-8859', fixed: '1.1.12-r6', … }]
 */
import type { Distro } from '../package-db';

export type Severity = 'critical' | 'major' | 'minor';

export interface Advisory {
  /** CVE id where there is one. */
  id: string;
  /** First fixed version in the distribution's own versioning; null when no fix exists yet. */
  fixed: string | null;
  /** Versions below this are not affected (OSV "introduced"); null: all versions. */
  introduced: string | null;
  /** Null when the feed does not say (Alpine's secdb carries no severities). */
  severity: Severity | null;
  url: string;
}

export interface VulnFeed {
  readonly format: FeedFormat;
  /** Distributions (id + branch) the feed covers, e.g. "alpine:v3.6". */
  readonly coverage: string[];
  advisories(distro: Distro, sourcePackage: string): Advisory[];
}

export type FeedFormat = 'alpine-secdb' | 'osv';

export function cveUrl(id: string): string {
  return /^CVE-\d{4}-\d+$/.test(id) ? `https://nvd.nist.gov/vuln/detail/${id}` : `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}
