/**
 * The guessing attack on join codes, against the real limiter and a real
 * SQLite lookup: one address trying codes is stopped after a handful of
 * misses (and then gets nothing, not even for the right code); a classroom
 * behind one address still joins; one code cannot be flooded from many.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { createJoinLimits } from './join-limits';
import { workshopFixture } from './test-fixture';

const options = { joinMissesPerAddress: 10, missWindowMinutes: 10, joinsPerAddressPerMinute: 120, joinsPerCodePerMinute: 300 };
const guess = () => Array.from({ length: 8 }, () => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[randomInt(31)]).join('');

test('guessing codes from one address is refused after ten misses, even for the right code; other addresses are unaffected', async (t) => {
  const f = await workshopFixture(t);
  const w = await f.workshop({ seats: 40 });
  const limits = createJoinLimits(options);
  const find = (code: string) => () => f.db.workshop.findUnique({ where: { joinCode: code } });
  let looked = 0, refused = 0, found = 0, retryAfter = 0;
  // The attack: 200 random codes, as fast as it can.
  for (let i = 0; i < 200; i++) {
    const code = guess();
    try {
      if (await limits.lookup('198.51.100.66', code, () => (looked++, find(code)()))) found++;
    } catch (err) {
      assert.equal((err as { status: number }).status, 429);
      retryAfter = (err as { extra: { body: { retryAfterSeconds: number } } }).extra.body.retryAfterSeconds;
      refused++;
    }
  }
  assert.equal(looked, 10, 'only ten codes were ever looked up');
  assert.equal(refused, 190);
  assert.equal(found, 0);
  assert.ok(retryAfter > 9 * 60 && retryAfter <= 600, `told to wait the window out (${retryAfter} s)`);
  await assert.rejects(limits.lookup('198.51.100.66', w.joinCode, find(w.joinCode)), /Too many wrong workshop codes/, 'a blocked guesser learns nothing, even with a right code');
  assert.equal((await limits.lookup('198.51.100.7', w.joinCode, find(w.joinCode)))?.id, w.id, 'an attendee elsewhere joins');
});

test('a classroom of 40 behind one address joins (page + join each), a flood of one code from many addresses does not', async (t) => {
  const f = await workshopFixture(t);
  const w = await f.workshop({ seats: 40 });
  const limits = createJoinLimits(options);
  const find = () => f.db.workshop.findUnique({ where: { joinCode: w.joinCode } });
  for (let i = 0; i < 80; i++) assert.equal((await limits.lookup('192.0.2.1', w.joinCode, find))?.id, w.id);
  let refused = 0;
  for (let i = 0; i < 300; i++) {
    await limits.lookup(`203.0.113.${i % 250}`, w.joinCode, find).catch((err: { status: number }) => {
      assert.equal(err.status, 429);
      refused++;
    });
  }
  assert.equal(refused, 80, 'the code allows 300 lookups a minute in all: the 80 of the classroom plus 220 more');
  await assert.rejects(limits.lookup('192.0.2.200', w.joinCode.toLowerCase(), find), /this workshop code/, 'the code is one bucket whatever its case');
});
