/**
 * Image scanning inside the registry node: scans run one at a time on a
 * queue, reading the image straight from Distribution (the streaming reader
 * in ../read-image.ts) and matching it against the vulnerability database.
 * Driven by registry events: a TAG_PUSH to a repository with scan on push
 * (while scanning is on) queues a scan; a finished scan publishes
 * SCAN_COMPLETED or SCAN_FAILED for each tag of the image, which webhooks and
 * promotion policies act on. A new database version rescans every tag.
 *
 *   const scans = createScanService({ settingsFile, db, store, storage, accounts, distribution, bus, jobs });
 *   scans.setSettings({ enabled: true });
 *   await scans.scanTag('admin/alpine', '3.3', 'admin')   // the record, pending or already completed
 */
import { readImage, distributionBlobSource } from '../read-image';
import type { DistributionClient } from '../../distribution/distribution-client';
import { matchVulnerabilities } from '../match-vulnerabilities';
import type { VulnDatabase } from './vuln-database';
import type { ScanRecord, ScanStore } from './scan-store';
import type { RegistryStorage } from '../../storage/registry-storage';
import type { Accounts } from '../../control-plane/accounts';
import type { EventBus, PublishedEvent } from '../../events/event-bus';
import type { JobLog } from '../../jobs/job-log';
import { createSettingsFile, type ScanSettings } from './scan-settings';

export interface ScanServiceOptions {
  settingsFile: string;
  db: VulnDatabase;
  store: ScanStore;
  storage: RegistryStorage;
  accounts: Accounts;
  distribution: DistributionClient;
  bus: EventBus;
  jobs: JobLog;
  log?: (message: string) => void;
}

export class NoSuchTagError extends Error {}

export function createScanService(o: ScanServiceOptions) {
  const log = o.log ?? ((m: string) => console.log(`[scanning] ${m}`));
  const settings = createSettingsFile(o.settingsFile);
  const queue: { repository: string; digest: string }[] = [];
  let running = false;

  const tagsOf = (repository: string, digest: string) => o.storage.listTags(repository).filter((t) => t.digest === digest).map((t) => t.name);

  function announce(record: ScanRecord, repository: string) {
    const type = record.status === 'completed' ? 'SCAN_COMPLETED' : 'SCAN_FAILED';
    for (const tag of tagsOf(repository, record.digest)) {
      const components = [...new Set(record.layers.flatMap((l) => l.components.map((c) => c.name)))];
      o.bus.publish({ type, repository, tag, digest: record.digest, actor: '', details: { summary: record.summary, components, dbVersion: record.dbVersion, ...(record.error ? { error: record.error } : {}) } });
    }
  }

  function enqueue(repository: string, digest: string): ScanRecord {
    const existing = o.store.get(digest);
    const version = o.db.state().version;
    if (existing?.status === 'completed' && existing.dbVersion === version) {
      // Already scanned against this database (another tag, another repository): the result stands.
      announce(existing, repository);
      return existing;
    }
    if (existing && (existing.status === 'pending' || existing.status === 'scanning')) {
      if (!queue.some((q) => q.digest === digest && q.repository === repository)) queue.push({ repository, digest });
      return existing;
    }
    const record: ScanRecord = {
      digest, repository, status: 'pending', dbVersion: null, queuedAt: new Date().toISOString(), startedAt: null, finishedAt: null, error: null, distro: null, summary: null,
      layers: existing?.layers ?? [],
    };
    o.store.put(record);
    queue.push({ repository, digest });
    void work();
    return record;
  }

  async function work() {
    if (running) return;
    running = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) await scanOne(next.repository, next.digest);
    } finally {
      running = false;
    }
  }

  async function scanOne(repository: string, digest: string) {
    const current = o.store.get(digest);
    if (current?.status === 'completed' && current.dbVersion === o.db.state().version) return announce(current, repository);
    const job = o.jobs.start('scan_check', { repository, digest });
    const startedAt = new Date().toISOString();
    o.store.put({ ...(current ?? ({} as ScanRecord)), digest, repository, status: 'scanning', startedAt, error: null, queuedAt: current?.queuedAt ?? startedAt, finishedAt: null } as ScanRecord);
    let record: ScanRecord;
    try {
      const dbVersion = o.db.state().version;
      const source = distributionBlobSource(o.distribution, repository);
      const inventory = await readImage(source, digest);
      // DTR's "unsupported OS": without a release file the scanner cannot tell which advisories apply.
      if (!inventory.distro) throw new Error('unsupported OS: the image has no /etc/os-release or /etc/alpine-release, so the scanner cannot tell which advisories apply');
      const report = matchVulnerabilities(inventory, o.db.feeds());
      const components = report.components;
      record = {
        digest, repository, status: 'completed', dbVersion, queuedAt: current?.queuedAt ?? startedAt, startedAt, finishedAt: new Date().toISOString(), error: null,
        distro: inventory.distro?.prettyName ?? null,
        summary: report.summary,
        layers: inventory.layers.map((l) => ({
          index: l.index, digest: l.digest, size: l.size,
          components: components.filter((c) => c.layer === l.index).map((c) => ({
            name: c.name, version: c.version, source: c.source,
            vulnerabilities: c.vulnerabilities.map((v) => ({ id: v.id, severity: v.severity, fixed: v.fixed, url: v.url })),
          })),
        })),
      };
      o.jobs.finish(job.id, 'done', { summary: report.summary });
    } catch (err) {
      record = { digest, repository, status: 'failed', dbVersion: null, queuedAt: current?.queuedAt ?? startedAt, startedAt, finishedAt: new Date().toISOString(), error: (err as Error).message, distro: null, summary: null, layers: [] };
      o.jobs.finish(job.id, 'errored', { error: record.error });
      log(`scan of ${repository}@${digest} failed: ${record.error}`);
    }
    o.store.put(record);
    announce(record, repository);
  }

  /** Every tag of every repository, again (after the database changed). */
  function rescanAll(): number {
    let count = 0;
    for (const r of o.accounts.repositories()) {
      const repository = `${r.namespace}/${r.name}`;
      for (const digest of new Set(o.storage.listTags(repository).map((t) => t.digest))) {
        enqueue(repository, digest);
        count++;
      }
    }
    if (count) log(`database ${o.db.state().version}: rescanning ${count} image(s)`);
    return count;
  }

  return {
    settings: () => settings.read(),
    setSettings: (patch: Partial<ScanSettings>) => settings.update(patch),

    /** Queues a scan of a tag (or answers with the result that already holds for this database). */
    scanTag(repository: string, tag: string): ScanRecord {
      const found = o.storage.listTags(repository).find((t) => t.name === tag);
      if (!found) throw new NoSuchTagError(`${repository} has no tag ${tag}`);
      return enqueue(repository, found.digest);
    },

    /** The result for a digest, and whether the database moved on since. */
    result(digest: string): (ScanRecord & { shouldRescan: boolean }) | null {
      const r = o.store.get(digest);
      return r ? { ...r, shouldRescan: r.status === 'completed' && r.dbVersion !== o.db.state().version } : null;
    },

    rescanAll,
    queueLength: () => queue.length + (running ? 1 : 0),

    /** The bus subscriber: scan on push. */
    onEvent(e: PublishedEvent): void {
      if (e.type !== 'TAG_PUSH' || !settings.read().enabled) return;
      if (!o.accounts.repository(e.repository)?.scanOnPush) return;
      try {
        this.scanTag(e.repository, e.tag);
      } catch (err) {
        log(`scan on push of ${e.repository}:${e.tag}: ${(err as Error).message}`);
      }
    },
  };
}

export type ScanService = ReturnType<typeof createScanService>;
