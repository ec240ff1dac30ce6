/**
 * Image scanning in the DTR-style API (DTR's /api/v0/imagescan paths):
 *
 *   GET  /api/v0/imagescan/status                                  on/off, mode, database version and age, queue
 *   POST /api/v0/imagescan/scanner/db                              {format, documents: [text]} offline upload (admins)
 *   POST /api/v0/imagescan/scanner/sync                            online: sync from the feed URLs now (admins)
 *   POST /api/v0/imagescan/scan/:ns/:repo/:tag                     scan a tag now (users who may scan: write access)
 *   GET  /api/v0/imagescan/repositories/:ns/:repo/:tag             summary; ?detailed=true adds layers → components → vulnerabilities
 *   GET  /api/v0/imagescan/repositories/:ns/:repo/:tag/export.csv  one row per component and vulnerability
 *
 * Settings (scanningEnabled, scanningMode, scanningSyncUrls, scanningSyncFormat,
 * scanningSyncSchedule) are a section of /api/v0/meta/settings.
 */
import { z } from 'zod';
import { ApiError } from './api-common';
import { route, type ApiRoute } from '../api/api-route';
import { admin, repository, signedIn } from '../api/permissions';
import type { SettingsSection } from './api-meta';
import { CronError, parseCron } from '../gc/cron';
import { NoSuchTagError, type ScanService } from '../scanning/service/scan-service';
import { VulnDbUpdateError, type VulnDbUpdates } from '../scanning/service/vuln-db-updates';
import type { VulnDatabase } from '../scanning/service/vuln-database';
import type { ScanRecord } from '../scanning/service/scan-store';
import type { RegistryStorage } from '../storage/registry-storage';

const feedFormat = z.enum(['alpine-secdb', 'osv']);
export const uploadBody = z.object({ format: feedFormat, documents: z.array(z.string().max(4 * 1024 * 1024)).min(1).max(200) }).strict();

export interface ScanningDeps {
  scans: ScanService;
  updates: VulnDbUpdates;
  db: VulnDatabase;
  storage: RegistryStorage;
}

/** What a scan says about a tag, in DTR's `vuln_summary` shape (plus `unknown`: advisories without a severity). */
export function vulnSummary(record: (ScanRecord & { shouldRescan: boolean }) | null) {
  if (!record) return null;
  return {
    critical: record.summary?.critical ?? 0, major: record.summary?.major ?? 0, minor: record.summary?.minor ?? 0, unknown: record.summary?.unknown ?? 0,
    last_scan_status: record.status, check_completed_at: record.finishedAt, should_rescan: record.shouldRescan, db_version: record.dbVersion,
  };
}

export function scanningRoutes(deps: ScanningDeps): ApiRoute[] {
  const digestOf = (repository: string, tag: string) => {
    const t = deps.storage.listTags(repository).find((x) => x.name === tag);
    if (!t) throw new ApiError(404, 'NO_SUCH_TAG', `${repository} has no tag ${tag}`);
    return t.digest;
  };
  const scanNow = ({ params }: { params: Record<string, string> }) => {
    const name = `${params.namespace}/${params.repo}`;
    if (!deps.scans.settings().enabled) throw new ApiError(409, 'SCANNING_DISABLED', 'scanning is off: an admin turns it on (scanningEnabled in /api/v0/meta/settings)');
    try {
      const record = deps.scans.scanTag(name, params.tag);
      return { status: 202, body: { repository: name, tag: params.tag, digest: record.digest, status: record.status } };
    } catch (err) {
      if (err instanceof NoSuchTagError) throw new ApiError(404, 'NO_SUCH_TAG', err.message);
      throw err;
    }
  };
  const updating = async (kind: 'db' | 'sync', run: () => unknown) => {
    try {
      return { status: 200, body: await run() };
    } catch (err) {
      // What the feed servers sent is their fault (502); what an admin uploaded or configured is theirs (400, 409).
      if (err instanceof VulnDbUpdateError) throw new ApiError(err.kind === 'settings' ? 409 : kind === 'sync' ? 502 : 400, 'DB_UPDATE_FAILED', err.message);
      throw err;
    }
  };
  const tag = 'scanning';
  const db = admin('update the vulnerability database');
  // Users who may see a repository see its scans; starting one needs write access (roles.ts: scan).
  const view = repository('view', 'any');
  const scan = repository('scan', 'any');
  const scans = '/imagescan/repositories/{namespace}/{repo}/{tag}';
  return [
    route({
      method: 'GET', path: '/imagescan/status', tag, summary: 'Scanning on or off, database mode, version and last update, queue length', permission: [signedIn],
      handler: () => {
        const s = deps.scans.settings();
        return { status: 200, body: { enabled: s.enabled, mode: s.mode, db: deps.db.state(), lastSync: s.lastSync, syncSchedule: s.syncSchedule, queue: deps.scans.queueLength() } };
      },
    }),
    route({
      method: 'POST', path: '/imagescan/scanner/db', tag, summary: 'Offline mode: upload a vulnerability database (Alpine secdb or OSV documents); a new version rescans every tag', permission: [db], body: uploadBody,
      handler: ({ body }) => updating('db', () => deps.updates.upload(body)),
    }),
    route({ method: 'POST', path: '/imagescan/scanner/sync', tag, summary: 'Online mode: fetch the database from scanningSyncUrls now', permission: [db], handler: () => updating('sync', () => deps.updates.sync()) }),
    // DTR's path names the platform too (…/linux/amd64); labdock's images have one, so it is accepted and scanned.
    route({ method: 'POST', path: '/imagescan/scan/{namespace}/{repo}/{tag}', tag, summary: 'Scan a tag now', permission: [scan], handler: scanNow }),
    route({ method: 'POST', path: '/imagescan/scan/{namespace}/{repo}/{tag}/{os}/{arch}', tag, summary: "Scan a tag now (DTR's path, e.g. …/linux/amd64)", permission: [scan], handler: scanNow }),
    route({
      method: 'GET', path: '/imagescan/scansummary/repositories/{namespace}/{repo}/{tag}', tag, permission: [view],
      summary: "DTR's scan summary: critical, major, minor, last_scan_status, check_completed_at, layer_details[{sha256sum, components[{component, version, vulns[{vuln{cve, cvss, summary}}]}]}]",
      handler: ({ params: p }) => ({ status: 200, body: dtrScanSummary(p.namespace, p.repo, p.tag, deps.scans.result(digestOf(`${p.namespace}/${p.repo}`, p.tag))) }),
    }),
    route({
      method: 'GET', path: scans, tag, summary: 'Scan summary (vuln_summary); ?detailed=true adds layers → components → vulnerabilities', permission: [view],
      handler: ({ params: p, query }) => {
        const name = `${p.namespace}/${p.repo}`;
        const digest = digestOf(name, p.tag);
        const record = deps.scans.result(digest);
        const detailed = query.get('detailed') === 'true';
        return {
          status: 200,
          body: {
            repository: name, tag: p.tag, digest, distro: record?.distro ?? null, vuln_summary: vulnSummary(record), error: record?.error ?? null,
            ...(detailed ? { layers: record?.layers ?? [] } : {}),
          },
        };
      },
    }),
    route({
      method: 'GET', path: `${scans}/export.csv`, tag, summary: 'The scan as CSV: one row per component and vulnerability', permission: [view],
      handler: ({ params: p }) => {
        const name = `${p.namespace}/${p.repo}`;
        const record = deps.scans.result(digestOf(name, p.tag));
        if (!record || record.status !== 'completed') throw new ApiError(404, 'NOT_SCANNED', `${name}:${p.tag} has no completed scan`);
        return { status: 200, contentType: 'text/csv; charset=utf-8', body: scanCsv(name, p.tag, record) };
      },
    }),
  ];
}

/** The scan in DTR's scansummary shape (its vuln fields cvss and summary are null: the feeds here carry neither). */
export function dtrScanSummary(namespace: string, reponame: string, tag: string, record: (ScanRecord & { shouldRescan: boolean }) | null) {
  return {
    namespace, reponame, tag,
    ...(vulnSummary(record) ?? { critical: 0, major: 0, minor: 0, unknown: 0, last_scan_status: 'not scanned', check_completed_at: null, should_rescan: false, db_version: null }),
    layer_details: (record?.layers ?? []).map((l) => ({
      sha256sum: l.digest.replace(/^sha256:/, ''),
      components: l.components.map((c) => ({
        component: c.name, version: c.version, source: c.source,
        vulns: c.vulnerabilities.map((v) => ({ vuln: { cve: v.id, cvss: null, summary: null, severity: v.severity ?? 'unknown', fixed: v.fixed, url: v.url } })),
      })),
    })),
  };
}

function csvField(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function scanCsv(repository: string, tag: string, record: ScanRecord): string {
  const rows = [['repository', 'tag', 'layer', 'layer_digest', 'component', 'version', 'source_package', 'vulnerability', 'severity', 'fixed_in', 'url']];
  for (const layer of record.layers) {
    for (const c of layer.components) {
      if (!c.vulnerabilities.length) rows.push([repository, tag, String(layer.index), layer.digest, c.name, c.version, c.source, '', '', '', '']);
      for (const v of c.vulnerabilities) rows.push([repository, tag, String(layer.index), layer.digest, c.name, c.version, c.source, v.id, v.severity ?? 'unknown', v.fixed ?? '', v.url]);
    }
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** The scanning part of /api/v0/meta/settings. */
export function scanningSettingsSection(scans: ScanService, updates: VulnDbUpdates): SettingsSection {
  return {
    schema: z.object({
      scanningEnabled: z.boolean(),
      scanningMode: z.enum(['offline', 'online']),
      scanningSyncUrls: z.array(z.string().url().refine((u) => /^https?:\/\//.test(u), 'feed URLs are http:// or https://')).max(50),
      scanningSyncFormat: feedFormat,
      scanningSyncSchedule: z.string().max(200).nullable(),
    }),
    get() {
      const s = scans.settings();
      return { scanningEnabled: s.enabled, scanningMode: s.mode, scanningSyncUrls: s.syncUrls, scanningSyncFormat: s.syncFormat, scanningSyncSchedule: s.syncSchedule };
    },
    set(patch) {
      if (typeof patch.scanningSyncSchedule === 'string') {
        try {
          parseCron(patch.scanningSyncSchedule);
        } catch (err) {
          if (err instanceof CronError) throw new ApiError(400, 'INVALID_SCHEDULE', err.message);
          throw err;
        }
      }
      const map: Record<string, string> = { scanningEnabled: 'enabled', scanningMode: 'mode', scanningSyncUrls: 'syncUrls', scanningSyncFormat: 'syncFormat', scanningSyncSchedule: 'syncSchedule' };
      scans.setSettings(Object.fromEntries(Object.entries(patch).map(([k, v]) => [map[k], v])));
      updates.rearm();
    },
  };
}
