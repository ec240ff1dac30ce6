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
import type { Severity } from '../feeds/feed';
import { openJsonStore } from '../../storage/json-file';

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
  // Scan results are the biggest state file: compact JSON.
  const store = openJsonStore<Record<string, ScanRecord>>(file, () => ({}), { pretty: false });
  const read = (): Readonly<Record<string, ScanRecord>> => store.read();

  // Scans that were under way when the registry stopped will not finish: say so (a new push or a manual scan retries).
  if (Object.values(read()).some((r) => r.status === 'pending' || r.status === 'scanning')) {
    store.update((all) => {
      for (const r of Object.values(all)) {
        if (r.status === 'pending' || r.status === 'scanning') all[r.digest] = { ...r, status: 'failed', error: 'the registry restarted before this scan finished: scan again', finishedAt: new Date().toISOString() };
      }
    });
  }

  return {
    get: (digest: string): ScanRecord | undefined => read()[digest],
    all: (): ScanRecord[] => Object.values(read()),
    put(record: ScanRecord): void {
      store.update((all) => void (all[record.digest] = record));
    },
  };
}

export type ScanStore = ReturnType<typeof openScanStore>;
