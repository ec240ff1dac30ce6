import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isRunning, processStat, signalMembers, waitForExit } from './host-processes';

test('processStat reads group, session and start time; null for a pid that does not exist', () => {
  const me = processStat(process.pid);
  assert.ok(me && me.startTime.length > 0 && me.pgrp > 0 && me.session > 0);
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
