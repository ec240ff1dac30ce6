import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTestDatabase, testProvider } from './test-database';
import { isUniqueViolation, violatesUnique } from './unique-violation';

test(`a unique violation names its constraint the same way on ${testProvider}`, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-unique-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = await openTestDatabase(t, dir);
  const owner = await db.user.create({ data: { id: 'u', name: 'Ada', email: 'ada@example.org' } });
  const w = await db.workshop.create({ data: { name: 'w', ownerId: owner.id, labIds: '["demo"]', seats: 2, opensAt: new Date(), closesAt: new Date(), sessionMinutes: 30, joinCode: 'C1' } });
  await db.attendee.create({ data: { workshopId: w.id, seat: 1, displayName: 'Grace', browserHash: 'h' } });
  const fail = async (data: { seat: number; displayName: string }) => {
    try {
      await db.attendee.create({ data: { workshopId: w.id, browserHash: 'h', ...data } });
    } catch (err) {
      return err;
    }
    assert.fail('the write was expected to break a unique constraint');
  };
  const seat = await fail({ seat: 1, displayName: 'Linus' });
  assert.ok(violatesUnique(seat, 'Attendee', ['workshopId', 'seat']));
  assert.ok(!violatesUnique(seat, 'Attendee', ['workshopId', 'displayName']));
  const name = await fail({ seat: 2, displayName: 'Grace' });
  assert.ok(violatesUnique(name, 'Attendee', ['workshopId', 'displayName']));
  assert.ok(!violatesUnique(name, 'Attendee', ['workshopId', 'seat']));
  const email = await db.user.create({ data: { id: 'u2', name: 'Ada', email: 'ada@example.org' } }).catch((e: unknown) => e);
  assert.ok(violatesUnique(email, 'User', ['email']));
  assert.ok(!isUniqueViolation(new Error('Unique constraint failed on seat')), 'a message that looks like one is not one');
});
