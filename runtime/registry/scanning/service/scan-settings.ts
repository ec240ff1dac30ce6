/**
 * Scanning settings, persisted beside the scans: on or off (off by default, as
 * DTR shipped — seed 000 turns it on), and where the database comes from:
 * offline (uploaded, or the bundled one) or online (synced from feed URLs on a
 * schedule).
 *
 *   const settings = createSettingsFile('/var/lib/labdock-registry/scanning.json');
 *   settings.update({ enabled: true });
 */
import type { FeedFormat } from '../feeds/feed';
import { openJsonStore } from '../../storage/json-file';

export interface ScanSettings {
  enabled: boolean;
  mode: 'offline' | 'online';
  /** Online mode: feed documents to fetch, all of one format. */
  syncUrls: string[];
  syncFormat: FeedFormat;
  /** Online mode: a cron schedule for syncing (5 or 6 fields), or null to sync only on demand. */
  syncSchedule: string | null;
  lastSync: { at: string; ok: boolean; error?: string; version?: string } | null;
}

const DEFAULTS: ScanSettings = { enabled: false, mode: 'offline', syncUrls: [], syncFormat: 'alpine-secdb', syncSchedule: null, lastSync: null };

export function createSettingsFile(file: string) {
  // Older files lack newer fields: the defaults fill them in.
  const store = openJsonStore<ScanSettings>(file, () => ({ ...DEFAULTS }), { merge: true });
  return {
    read: (): Readonly<ScanSettings> => store.read(),
    update(patch: Partial<ScanSettings>): ScanSettings {
      return store.update((settings) => Object.assign(settings, patch));
    },
  };
}
