import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CTRL_C, commandKeys } from './command-keys';

test('each line is typed with Enter; trailing blank lines are dropped', () => {
  assert.deepEqual(commandKeys('ls -l\npwd\n\n'), ['ls -l\r', 'pwd\r']);
  assert.deepEqual(commandKeys('echo a\r\necho b'), ['echo a\r', 'echo b\r']);
});

test('blank lines inside a block are kept (heredocs need them)', () => {
  assert.deepEqual(commandKeys('cat <<EOF\na\n\nb\nEOF'), ['cat <<EOF\r', 'a\r', '\r', 'b\r', 'EOF\r']);
});

test('interrupt presses Ctrl-C before typing', () => {
  assert.deepEqual(commandKeys('uptime', { interrupt: true }), [CTRL_C, 'uptime\r']);
  assert.deepEqual(commandKeys('', { interrupt: true }), [CTRL_C]);
});
