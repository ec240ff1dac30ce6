import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isRunning, processStat, signalMembers, waitForExit } from './host-processes';

test('processStat reads group, session and start time; null for a pid that does not exist', async (t) => {
  // A detached child leads its own session and group, so both equal its pid wherever the test runs
  // (this process's own session may be 0 when its leader lives in another pid namespace, as in CI).
  const child = spawn('/bin/sleep', ['100'], { detached: true, stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((r) => child.once('spawn', r));
  const pid = child.pid!;
  let stat = processStat(pid);
  for (let i = 0; i < 100 && stat?.session !== pid; i++) {
    await new Promise((r) => setTimeout(r, 10)); // setsid runs in the child just after spawn
    stat = processStat(pid);
  }
  assert.deepEqual({ pgrp: stat?.pgrp, session: stat?.session }, { pgrp: pid, session: pid });
  assert.match(stat!.startTime, /^\d+$/);
  assert.equal(processStat(2 ** 22 + 1), null); // above pid_max's ceiling: never a live process
});

test('signalMembers kills what a leader started, and the leader then exits by itself', async (t) => {
  // sh leads its own session and group (detached), and waits for its foreground child.
  const leader = spawn('/bin/sh', ['-c', 'sleep 100 & sleep 100; echo leader-done'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => leader.exitCode === null && leader.kill('SIGKILL'));
  let out = '';
  leader.stdout.on('data', (d) => (out += d));
  const closed = new Promise((r) => leader.on('close', r));
  const pid = leader.pid!;
  for (let i = 0; i < 100 && signalMembers(pid, 'pgrp', 'SIGCONT') < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(signalMembers(pid, 'session', 'SIGKILL'), 2, 'both sleeps, not the leader');
  await closed;
  assert.equal(out, 'leader-done\n', 'the leader outlived its members and finished normally');
  assert.equal(await waitForExit(pid, 1000), true);
  assert.equal(isRunning(pid), false);
});
