/**
 * Builds a registry control plane and everything it runs on from one state
 * directory: accounts, the token key, Distribution's storage, garbage
 * collection, jobs, the event bus with its activity log and webhooks, and
 * component logs. The registry node's main.ts and the tests compose it the
 * same way; only where Distribution is and how its collector runs differ.
 *
 *   const registry = composeRegistry({ state, storageRoot, distribution, collect, eventsToken, host });
 *   https.createServer(tls, registry.handler).listen(443);
 *   http.createServer(registry.notifications).listen(5002, '127.0.0.1');
 */
import path from 'node:path';
import { openAccounts } from './accounts';
import { createControlPlane } from './control-plane';
import type { NotaryAddress } from './trust-route';
import { metaRoutes } from './api-meta';
import { accountsRoutes } from './api-accounts';
import { repositoriesRoutes } from './api-repositories';
import { tagsRoutes } from './api-tags';
import { eventsRoutes } from './api-events';
import { gcRoutes, gcSettingsSection } from './api-gc';
import { accessFacts } from './access-facts';
import { createSignedTags } from './signed-tags';
import type { ApiRoute } from '../api/api-route';
import { loadOrCreateSigningKey } from '../auth/jwt';
import { createTokenService } from '../auth/token-service';
import { openRegistryStorage } from '../storage/registry-storage';
import { createWriteGate } from '../gc/write-gate';
import { createGarbageCollector } from '../gc/garbage-collector';
import { openJobLog } from '../jobs/job-log';
import { createEventBus } from '../events/event-bus';
import { openActivityLog } from '../events/activity-log';
import { openWebhooks } from '../events/webhooks';
import { createNotificationReceiver } from '../events/distribution-notifications';
import { createComponentLogs } from '../logs/component-logs';
import { openVulnDatabase } from '../scanning/service/vuln-database';
import { openScanStore } from '../scanning/service/scan-store';
import { createScanService } from '../scanning/service/scan-service';
import { createVulnDbUpdates } from '../scanning/service/vuln-db-updates';
import { scanningRoutes, scanningSettingsSection, vulnSummary } from './api-scanning';
import { openPolicyStore } from '../promotion/policy-store';
import { createPromoter } from '../promotion/promoter';
import { promotionRoutes } from './api-promotion';
import { createDistributionClient } from '../distribution/distribution-client';
import { createTagWriter } from '../tags/write-tag';

export interface ComposeOptions {
  /** accounts.json, token-key.pem, gc.json, jobs.json, events.jsonl, webhooks.json */
  state: string;
  /** Distribution's filesystem root, shared with it. */
  storageRoot: string;
  distribution: { host: string; port: number };
  /** Runs Distribution's garbage collector. */
  collect: () => Promise<string>;
  /** What Distribution's notifications must carry as `Authorization: Bearer <it>`. */
  eventsToken: string;
  /** The registry's hostname: the token service's name and audience. */
  host: string;
  /** The bundled vulnerability database (a folder of Alpine secdb documents). */
  vulnDbBundled: string;
  /** Log files of the back ends, by component name. */
  logFiles?: Record<string, string>;
  /** Prints a line; the control plane's lines are also kept for /api/v0/meta/logs. */
  print?: (line: string) => void;
  webhookRetryDelaysMs?: number[];
  /** notary-server on loopback, when the node runs it (content trust). */
  notary?: NotaryAddress;
}

export function composeRegistry(options: ComposeOptions) {
  const print = options.print ?? ((line: string) => console.log(line));
  const logs = createComponentLogs(options.logFiles ?? {});
  const logger = (prefix: string) => (message: string) => {
    logs.write('control-plane', `[${prefix}] ${message}`);
    print(`[${prefix}] ${message}`);
  };
  const accounts = openAccounts(path.join(options.state, 'accounts.json'));
  const tokens = createTokenService({ key: loadOrCreateSigningKey(path.join(options.state, 'token-key.pem')), service: options.host });
  const storage = openRegistryStorage(options.storageRoot);
  const distribution = createDistributionClient(options.distribution);
  const gate = createWriteGate();
  const jobs = openJobLog(path.join(options.state, 'jobs.json'));
  const bus = createEventBus(logger('events'));
  const activity = openActivityLog(path.join(options.state, 'events.jsonl'));
  const webhooks = openWebhooks({ file: path.join(options.state, 'webhooks.json'), log: logger('webhooks'), retryDelaysMs: options.webhookRetryDelaysMs });
  bus.subscribe(activity.append);
  bus.subscribe(webhooks.deliver);
  const tags = createTagWriter({ accounts, storage, distribution, bus, log: logger('control-plane') });
  const notifications = createNotificationReceiver({ bus, token: options.eventsToken, log: logger('events') });
  const db = openVulnDatabase({ dir: path.join(options.state, 'vulndb'), bundled: options.vulnDbBundled });
  const scans = createScanService({
    settingsFile: path.join(options.state, 'scanning.json'), db, store: openScanStore(path.join(options.state, 'scans.json')),
    storage, accounts, distribution, bus, jobs, log: logger('scanning'),
  });
  const updates = createVulnDbUpdates({ scans, db, jobs, log: logger('scanning') });
  bus.subscribe((e) => scans.onEvent(e));
  const policies = openPolicyStore(path.join(options.state, 'promotion-policies.json'));
  const promoter = createPromoter({ policies, tags, gate, distribution, bus, notifications, log: logger('promotion') });
  bus.subscribe((e) => promoter.onEvent(e));
  const gc = createGarbageCollector({ storage, gate, jobs, bus, settingsFile: path.join(options.state, 'gc.json'), collect: options.collect, log: logger('gc') });
  const facts = accessFacts({ accounts, storage, webhooks });
  const controlPlaneLog = logger('control-plane');
  // Every /api/v0 route, declared with its permission (api/permissions.ts); the OpenAPI document is made from this list.
  const apiRoutes: ApiRoute[] = [
    ...accountsRoutes(accounts),
    ...repositoriesRoutes(accounts),
    ...tagsRoutes({
      accounts, storage, gate, bus, activity, vulnSummaryOf: (digest: string) => vulnSummary(scans.result(digest)), log: controlPlaneLog,
      ...(options.notary ? { signedTags: createSignedTags({ notary: options.notary, host: options.host }) } : {}),
    }),
    ...eventsRoutes({ facts, webhooks, activity }),
    ...gcRoutes(gc),
    ...metaRoutes({ sections: [gcSettingsSection(gc), scanningSettingsSection(scans, updates)], jobs, logs, storageHealthy: () => distribution.ping() }),
    ...scanningRoutes({ scans, updates, db, storage }),
    ...promotionRoutes({ accounts, policies, scans }),
  ];
  const handler = createControlPlane({
    accounts, tokens, gate, tags, notifications, distribution, notary: options.notary, log: controlPlaneLog,
    api: { routes: apiRoutes, facts },
  });
  return {
    handler, apiRoutes, notifications, distribution, tags, promoter, policies, accounts, tokens, storage, gate, gc, jobs, bus, activity, webhooks, logs, db, scans, updates,
    stop: () => {
      gc.stop();
      updates.stop();
    },
  };
}
