/**
 * How the vulnerability database changes: an upload (offline mode) or a sync
 * from the configured feed URLs (online mode: on demand, and on a cron
 * schedule). Either way the new contents are parsed in full before they
 * replace the old, each update is an `update_vuln_db` job, and a new version
 * rescans every tag.
 *
 *   const updates = createVulnDbUpdates({ scans, db, jobs });
 *   await updates.sync()                                  // online: fetch, replace, rescan
 *   updates.upload({ format: 'alpine-secdb', documents })  // offline
 */
import { nextRun, parseCron } from '../../gc/cron';
import type { JobLog } from '../../jobs/job-log';
import type { ScanService } from './scan-service';
import type { VulnDatabase, VulnDbContents, VulnDbState } from './vuln-database';

/** A feed server that takes longer than this is down, as far as a sync is concerned. */
const FETCH_TIMEOUT_MS = 30_000;
/** setTimeout's ceiling is ~24.8 days; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `settings`: nothing to sync from; `upstream`: a feed server failed; `contents`: the documents do not parse. */
export class VulnDbUpdateError extends Error {
  constructor(readonly kind: 'settings' | 'upstream' | 'contents', message: string) {
    super(message);
  }
}

export function createVulnDbUpdates(o: { scans: ScanService; db: VulnDatabase; jobs: JobLog; log?: (m: string) => void }) {
  const log = o.log ?? ((m: string) => console.log(`[scanning] ${m}`));
  let timer: NodeJS.Timeout | null = null;

  function apply(contents: VulnDbContents, source: string): { state: VulnDbState; rescans: number } {
    const job = o.jobs.start('update_vuln_db', { source });
    try {
      const { state, changed } = o.db.replace(contents, source);
      const rescans = changed ? o.scans.rescanAll() : 0;
      o.jobs.finish(job.id, 'done', { version: state.version, changed, rescans });
      return { state, rescans };
    } catch (err) {
      o.jobs.finish(job.id, 'errored', { error: (err as Error).message });
      throw new VulnDbUpdateError('contents', `the database was not replaced: ${(err as Error).message}`);
    }
  }

  async function sync(): Promise<{ state: VulnDbState; rescans: number }> {
    const { syncUrls, syncFormat } = o.scans.settings();
    try {
      if (!syncUrls.length) throw new VulnDbUpdateError('settings', 'no feed URLs are set: set scanningSyncUrls in /api/v0/meta/settings');
      const documents: string[] = [];
      for (const url of syncUrls) {
        const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch((err: Error) => {
          throw new VulnDbUpdateError('upstream', `${url}: ${err.message}`);
        });
        if (!res.ok) throw new VulnDbUpdateError('upstream', `${url} answered ${res.status}`);
        documents.push(await res.text());
      }
      const result = apply({ format: syncFormat, documents }, syncUrls.join(' '));
      o.scans.setSettings({ lastSync: { at: new Date().toISOString(), ok: true, version: result.state.version } });
      return result;
    } catch (err) {
      o.scans.setSettings({ lastSync: { at: new Date().toISOString(), ok: false, error: (err as Error).message } });
      throw err;
    }
  }

  function arm() {
    if (timer) clearTimeout(timer);
    timer = null;
    const { mode, syncSchedule } = o.scans.settings();
    if (mode !== 'online' || !syncSchedule) return;
    const at = nextRun(parseCron(syncSchedule), new Date());
    if (!at) return;
    const wait = at.getTime() - Date.now();
    timer = setTimeout(() => {
      if (wait > MAX_TIMER_MS) return arm();
      sync().catch((err: Error) => log(`scheduled database sync: ${err.message}`)).finally(arm);
    }, Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    timer.unref();
  }

  arm();
  return {
    sync,
    upload: (contents: VulnDbContents) => apply(contents, 'upload'),
    /** Settings changed: follow the new schedule. */
    rearm: arm,
    stop: () => timer && clearTimeout(timer),
  };
}

export type VulnDbUpdates = ReturnType<typeof createVulnDbUpdates>;
