/**
 * Scan results by manifest digest (one image scanned once, whichever
 * repositories and tags point to it), in a JSON file on the registry node's
 * volume, written atomically. A result records the database version it was
 * matched against, so a new database means a new scan.
 *
 *   const scans = openScanStore('/var/lib/labdock-registry/scans.json');
 *   scans.put({ digest, status: 'pending', … });
 *   scans.get(digest)?.summary   // { critical, major, minor, unknown }
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Severity } from '../feeds/feed';
import { writeJsonAtomic } from '../../storage/json-file';

/** DTR's scan states. */
export type ScanStatus = 'pending' | 'scanning' | 'completed' | 'failed';
export type ScanSummary = Record<Severity | 'unknown', number>;

export interface ScannedVulnerability {
  id: string;
  severity: Severity | null;
  fixed: string | null;
  url: string;
}

export interface ScannedComponent {
  name: string;
  version: string;
  source: string;
  vulnerabilities: ScannedVulnerability[];
}

export interface ScannedLayer {
  index: number;
  digest: string;
  size: number;
  /** Packages this layer installed or upgraded (and that are still there at the end). */
  components: ScannedComponent[];
}

export interface ScanRecord {
  digest: string;
  /** The repository it was read from (any one holding the digest). */
  repository: string;
  status: ScanStatus;
  dbVersion: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  distro: string | null;
  summary: ScanSummary | null;
  layers: ScannedLayer[];
}

export function openScanStore(file: string) {
  let cache: Record<string, ScanRecord> | null = null;
  const read = (): Record<string, ScanRecord> => (cache ??= existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, ScanRecord>) : {});
  const write = (all: Record<string, ScanRecord>) => {
    writeJsonAtomic(file, all, { pretty: false });
    cache = all;
  };

  // Scans that were under way when the registry stopped will not finish: say so (a new push or a manual scan retries).
  const interrupted = Object.values(read()).filter((r) => r.status === 'pending' || r.status === 'scanning');
  if (interrupted.length) {
    const all = read();
    for (const r of interrupted) all[r.digest] = { ...r, status: 'failed', error: 'the registry restarted before this scan finished: scan again', finishedAt: new Date().toISOString() };
    write(all);
  }

  return {
    get: (digest: string): ScanRecord | undefined => read()[digest],
    all: (): ScanRecord[] => Object.values(read()),
    put(record: ScanRecord): void {
      write({ ...read(), [record.digest]: record });
    },
  };
}

export type ScanStore = ReturnType<typeof openScanStore>;
