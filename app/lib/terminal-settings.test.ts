import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, FONT_MAX, FONT_MIN, parseSettings, resolveTheme, withFontSize } from './terminal-settings';

test('nothing stored, or garbage: the defaults', () => {
  assert.deepEqual(parseSettings(null), DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings(''), DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings('{not json'), DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings('"a string"'), DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings('[1,2]'), DEFAULT_SETTINGS);
});

test('a stored value is read back', () => {
  const s = { fontSize: 20, theme: 'light', screenReader: true };
  assert.deepEqual(parseSettings(JSON.stringify(s)), s);
});

test('each field falls back on its own when foreign or out of range', () => {
  assert.deepEqual(parseSettings(JSON.stringify({ fontSize: 400, theme: 'neon', screenReader: 'yes' })),
    { ...DEFAULT_SETTINGS, fontSize: FONT_MAX });
  assert.equal(parseSettings(JSON.stringify({ fontSize: 1 })).fontSize, FONT_MIN);
  assert.equal(parseSettings(JSON.stringify({ fontSize: '18' })).fontSize, DEFAULT_SETTINGS.fontSize);
  assert.equal(parseSettings('{"fontSize": 1e999}').fontSize, DEFAULT_SETTINGS.fontSize);
  assert.equal(parseSettings(JSON.stringify({ fontSize: 15.6 })).fontSize, 16);
});

test('font size steps stop at the bounds', () => {
  assert.equal(withFontSize({ ...DEFAULT_SETTINGS, fontSize: FONT_MAX }, 1).fontSize, FONT_MAX);
  assert.equal(withFontSize({ ...DEFAULT_SETTINGS, fontSize: FONT_MIN }, -1).fontSize, FONT_MIN);
  assert.equal(withFontSize(DEFAULT_SETTINGS, 2).fontSize, DEFAULT_SETTINGS.fontSize + 2);
});

test('system theme follows the system; a choice overrides it', () => {
  assert.equal(resolveTheme('system', true), 'dark');
  assert.equal(resolveTheme('system', false), 'light');
  assert.equal(resolveTheme('light', true), 'light');
  assert.equal(resolveTheme('dark', false), 'dark');
});
