import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRemaining, sessionDeadline } from './countdown';

test('countdown formats hours, minutes, seconds and never goes negative', () => {
  assert.equal(formatRemaining(3909_000, 0), '1:05:09');
  assert.equal(formatRemaining(242_000, 0), '4:02');
  assert.equal(formatRemaining(59_999, 0), '0:59');
  assert.equal(formatRemaining(0, 5000), '0:00');
});

test('the deadline is the earlier of hard and idle expiry', () => {
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  assert.deepEqual(sessionDeadline({ expiresAt: '2025-01-01T01:00:00Z', idleExpiresAt: '2025-01-01T00:30:00Z' }), { until: t0 + 1_800_000, idle: true });
  assert.deepEqual(sessionDeadline({ expiresAt: '2025-01-01T00:10:00Z', idleExpiresAt: '2025-01-01T00:30:00Z' }), { until: t0 + 600_000, idle: false });
  assert.deepEqual(sessionDeadline({ expiresAt: 'garbage', idleExpiresAt: '2025-01-01T00:30:00Z' }, 42), { until: 42, idle: false });
});
