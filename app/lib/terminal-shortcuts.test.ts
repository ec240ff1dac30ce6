import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalShortcut, type KeyLike } from './terminal-shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike =>
  ({ type: 'keydown', key: k, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods });

test('Ctrl+Shift+E leaves the terminal, in either case of the letter', () => {
  assert.equal(terminalShortcut(key('E', { ctrlKey: true, shiftKey: true })), 'leave');
  assert.equal(terminalShortcut(key('e', { ctrlKey: true, shiftKey: true })), 'leave');
});

test('Tab, Ctrl+E and Ctrl+C stay with the shell', () => {
  assert.equal(terminalShortcut(key('Tab')), null);
  assert.equal(terminalShortcut(key('Tab', { shiftKey: true })), null);
  assert.equal(terminalShortcut(key('e', { ctrlKey: true })), null);
  assert.equal(terminalShortcut(key('c', { ctrlKey: true })), null);
  assert.equal(terminalShortcut(key('v', { ctrlKey: true })), null);
});

test('copy, paste and search shortcuts', () => {
  assert.equal(terminalShortcut(key('C', { ctrlKey: true, shiftKey: true })), 'copy');
  assert.equal(terminalShortcut(key('V', { ctrlKey: true, shiftKey: true })), 'paste');
  assert.equal(terminalShortcut(key('F', { ctrlKey: true, shiftKey: true })), 'search');
  assert.equal(terminalShortcut(key('Insert', { ctrlKey: true })), 'copy');
  assert.equal(terminalShortcut(key('Insert', { shiftKey: true })), 'paste');
  assert.equal(terminalShortcut(key('Insert')), null);
});

test('key-up, Alt and Meta combinations are not ours', () => {
  assert.equal(terminalShortcut({ ...key('E', { ctrlKey: true, shiftKey: true }), type: 'keyup' }), null);
  assert.equal(terminalShortcut(key('E', { ctrlKey: true, shiftKey: true, altKey: true })), null);
  assert.equal(terminalShortcut(key('C', { ctrlKey: true, shiftKey: true, metaKey: true })), null);
});
