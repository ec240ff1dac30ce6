/**
 * Installed-package databases found in image layers:
 *   apk  — /lib/apk/db/installed: stanzas of `K:value` lines (P name, V version, o origin)
 *   dpkg — /var/lib/dpkg/status and /var/lib/dpkg/status.d/*: RFC822-style stanzas
 *          (Package, Version, Status, Source "name (version)")
 * and the distribution they belong to (/etc/os-release, /etc/alpine-release).
 */

export type PackageFormat = 'apk' | 'dpkg';

export interface InstalledPackage {
  format: PackageFormat;
  name: string;
  version: string;
  /** Source package and its version: what vulnerability feeds are keyed by. */
  source: string;
  sourceVersion: string;
}

export function parseApkInstalled(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      if (line.length > 2 && line[1] === ':') fields.set(line[0], line.slice(2));
    }
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) continue;
    out.push({ format: 'apk', name, version, source: fields.get('o') ?? name, sourceVersion: version });
  }
  return out;
}

export function parseDpkgStatus(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = '';
    for (const line of stanza.split('\n')) {
      if (/^\s/.test(line)) continue; // continuation of a multi-line field (Description, Conffiles)
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).toLowerCase();
      fields.set(last, line.slice(colon + 1).trim());
    }
    const name = fields.get('package');
    const version = fields.get('version');
    const status = fields.get('status');
    if (!name || !version) continue;
    // Removed packages whose config files remain are not installed software.
    if (status && !/\binstalled$/.test(status)) continue;
    const sourceField = fields.get('source');
    const m = sourceField ? /^(\S+)(?:\s+\(([^)]+)\))?/.exec(sourceField) : null;
    out.push({ format: 'dpkg', name, version, source: m?.[1] ?? name, sourceVersion: m?.[2] ?? version });
  }
  return out;
}

export interface Distro {
  id: string;
  versionId: string;
  prettyName: string;
}

/** From /etc/os-release (preferred) or /etc/alpine-release. */
export function detectDistro(files: { osRelease?: string; alpineRelease?: string }): Distro | null {
  if (files.osRelease) {
    const fields = new Map<string, string>();
    for (const line of files.osRelease.split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) fields.set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
    }
    const id = fields.get('ID');
    if (id) return { id, versionId: fields.get('VERSION_ID') ?? '', prettyName: fields.get('PRETTY_NAME') ?? id };
  }
  if (files.alpineRelease) {
    const v = files.alpineRelease.trim();
    return { id: 'alpine', versionId: v, prettyName: `Alpine Linux v${v}` };
  }
  return null;
}

/** "3.6.2" → "v3.6": the secdb branch for an Alpine release. */
export function alpineBranch(versionId: string): string {
  const [major, minor] = versionId.split('.');
  return `v${major}.${minor}`;
}
