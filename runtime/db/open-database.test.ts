import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from './open-database';
import { migrateDatabase } from '../../prisma/migrate';

test('migrates a new database and round-trips a session with nodes and progress', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'labdock.db');
  const db = await openDatabase(`file:${file}`);
  t.after(() => db.$disconnect());
  await db.session.create({
    data: {
      id: 's1', labId: 'intro', tokenHash: 'h', provisioner: 'local', status: 'ready',
      expiresAt: new Date(Date.now() + 60_000),
      nodes: { create: [{ name: 'node1', hostname: 'node1', ref: '123' }] },
      steps: { create: [{ stepId: 'a', passed: true, message: 'ok' }] },
    },
  });
  const back = await db.session.findUnique({ where: { id: 's1' }, include: { nodes: true, steps: true } });
  assert.equal(back?.nodes[0].hostname, 'node1');
  assert.equal(back?.steps[0].passed, true);
  // Deleting a session cascades to its rows.
  await db.session.delete({ where: { id: 's1' } });
  assert.equal(await db.node.count(), 0);
  // Running the migrator again is a no-op.
  assert.deepEqual(migrateDatabase(file), []);
});
