/**
 * Matches an image's packages against vulnerability feeds: a package is
 * affected when its source version is at or above an advisory's "introduced"
 * and below its "fixed" (or no fix exists), compared with the package
 * format's own ordering (apk or dpkg).
 *
 *   const report = matchVulnerabilities(inventory, [secdb]);
 *   report.summary   // { critical: 0, major: 3, minor: 0, unknown: 9 }
 */
import type { ImageInventory } from './read-image';
import type { Advisory, Severity, VulnFeed } from './feeds/feed';
import { compareApkVersions } from './apk-version';
import { compareDpkgVersions } from './dpkg-version';
import type { InstalledPackage } from './package-db';

export interface ComponentReport {
  name: string;
  version: string;
  source: string;
  layer: number;
  vulnerabilities: Advisory[];
}

export interface ScanReport {
  distro: ImageInventory['distro'];
  components: ComponentReport[];
  summary: Record<Severity | 'unknown', number>;
}

export function matchVulnerabilities(inventory: ImageInventory, feeds: VulnFeed[]): ScanReport {
  const components: ComponentReport[] = [];
  const summary = { critical: 0, major: 0, minor: 0, unknown: 0 };
  for (const pkg of inventory.packages) {
    const seen = new Set<string>();
    const vulnerabilities: Advisory[] = [];
    if (inventory.distro) {
      for (const feed of feeds) {
        for (const adv of feed.advisories(inventory.distro, pkg.source)) {
          if (seen.has(adv.id) || !affects(pkg, adv)) continue;
          seen.add(adv.id);
          vulnerabilities.push(adv);
          summary[adv.severity ?? 'unknown']++;
        }
      }
    }
    components.push({ name: pkg.name, version: pkg.version, source: pkg.source, layer: pkg.layer, vulnerabilities });
  }
  return { distro: inventory.distro, components, summary };
}

export function affects(pkg: InstalledPackage, adv: Advisory): boolean {
  const cmp = pkg.format === 'apk' ? compareApkVersions : compareDpkgVersions;
  if (adv.introduced !== null && cmp(pkg.sourceVersion, adv.introduced) < 0) return false;
  return adv.fixed === null || cmp(pkg.sourceVersion, adv.fixed) < 0;
}
