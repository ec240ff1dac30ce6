/**
 * Real parts for workshop tests: the suite's database through Prisma (migrated;
 * SQLite, or PostgreSQL with LABDOCK_TEST_DATABASE=postgresql: runtime/db/test-database), the session
 * service on the local provisioner (bubblewrap sandboxes), a two-step fixture
 * lab, and one instructor. Everything is removed after the test.
 *
 *   const f = await workshopFixture(t, { maxLive: 20 });
 *   const w = await f.workshop({ seats: 3 });
 */
import type { TestContext } from 'node:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/open-database';
import { createTestDatabase } from '../db/test-database';
import { createLocalProvisioner } from '../provisioner/local/local-provisioner';
import { createLabCatalog } from '../labs/lab-catalog';
import { createSessionStore } from '../sessions/session-store';
import { createSessionService } from '../sessions/session-service';
import type { CheckOutcome } from '../services';
import type { Capacity } from '../admission/capacity';
import type { ClientLimits } from '../admission/client-limits';

export const skipWithoutBwrap = existsSync('/usr/bin/bwrap') ? undefined : 'bubblewrap is not installed';

const LAB = `---
id: demo
title: Demo
summary: A fixture lab.
difficulty: beginner
duration: 5m
engine: none
nodes:
  - name: node1
---

<Step id="one" title="Write one">

\`\`\`bash check node=node1
[ -f ~/one ] || { echo "~/one is missing"; exit 1; }
\`\`\`

\`\`\`bash solve node=node1
touch ~/one
\`\`\`

</Step>

<Step id="two" title="Write two">

\`\`\`bash check node=node1
[ -f ~/two ] || { echo "~/two is missing"; exit 1; }
\`\`\`

\`\`\`bash solve node=node1
touch ~/two
\`\`\`

</Step>
`;

/** A lab whose setup always fails: its sessions end up failed. */
const FLAKY = LAB.replace('id: demo', 'id: flaky').replace('<Step id="one" title="Write one">\n', '<Step id="one" title="Write one">\n\n\`\`\`bash setup node=node1\nexit 3\n\`\`\`\n');

export async function workshopFixture(t: TestContext, opts: { maxLive?: number; onCheck?: (id: string, step: string, o: CheckOutcome) => Promise<void>; capacity?: Capacity; clientLimits?: ClientLimits } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-workshops-'));
  mkdirSync(path.join(dir, 'labs', 'demo'), { recursive: true });
  writeFileSync(path.join(dir, 'labs', 'demo', 'lab.mdx'), LAB);
  // A second lab of another node name: workshops of several labs.
  mkdirSync(path.join(dir, 'labs', 'demo2'), { recursive: true });
  writeFileSync(path.join(dir, 'labs', 'demo2', 'lab.mdx'), LAB.replace('id: demo', 'id: demo2').replace('title: Demo', 'title: Demo two').replaceAll('node1', 'box'));
  mkdirSync(path.join(dir, 'labs', 'flaky'), { recursive: true });
  writeFileSync(path.join(dir, 'labs', 'flaky', 'lab.mdx'), FLAKY);
  const database = await createTestDatabase(dir);
  const db = await openDatabase(database.url).catch(async (err) => { await database.drop(); throw err; });
  const local = createLocalProvisioner({ rootDir: path.join(dir, 'nodes') });
  const hooks: { onCheck?: (id: string, step: string, o: CheckOutcome) => Promise<void> } = { onCheck: opts.onCheck };
  const labs = createLabCatalog({ labsDir: path.join(dir, 'labs'), engine: { docker: false, local: true } });
  const sessions = createSessionService({
    store: createSessionStore(db),
    labs,
    provisioners: { local },
    closeTerminals: () => undefined,
    config: { sessions: { ttlMinutes: 120, idleMinutes: 30, reapSeconds: 30, maxLive: opts.maxLive ?? 50 }, checks: { timeoutSeconds: 10 } },
    log: () => undefined,
    capacity: opts.capacity,
    clientLimits: opts.clientLimits,
    onCheck: (id, step, o) => hooks.onCheck?.(id, step, o),
  });
  const owner = await db.user.create({ data: { id: 'u1', name: 'Ada', email: 'ada@example.org' } });
  t.after(async () => {
    try {
      await sessions.settle();
      for (const id of await local.listSessions()) await local.destroySession(id);
      await db.$disconnect();
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  let codes = 0;
  return {
    db, sessions, labs, local, owner, hooks, dir,
    /** A workshop of the demo lab, open now for an hour unless told otherwise. */
    async workshop(w: { lab?: string; labs?: string[]; seats?: number; opensAt?: Date; closesAt?: Date; allowEmails?: string[]; allowDomain?: string; poolLeadMinutes?: number } = {}) {
      return db.workshop.create({
        data: {
          name: 'Tuesday', ownerId: owner.id, labIds: JSON.stringify(w.labs ?? [w.lab ?? 'demo']), seats: w.seats ?? 3,
          opensAt: w.opensAt ?? new Date(Date.now() - 60_000), closesAt: w.closesAt ?? new Date(Date.now() + 3600_000),
          sessionMinutes: 60, joinCode: `CODE${++codes}`, allowEmails: JSON.stringify(w.allowEmails ?? []),
          allowDomain: w.allowDomain ?? null, askEmail: !!(w.allowEmails?.length || w.allowDomain), poolLeadMinutes: w.poolLeadMinutes ?? 10,
        },
      });
    },
  };
}
