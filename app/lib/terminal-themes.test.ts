import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TERMINAL_THEMES } from './terminal-themes';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const TEXT = ['foreground', 'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite'] as const;

for (const [name, theme] of Object.entries(TERMINAL_THEMES)) {
  test(`${name} theme: every text colour keeps 4.5:1 (WCAG AA) on the background`, () => {
    for (const key of TEXT) {
      const ratio = contrast(theme[key]!, theme.background!);
      assert.ok(ratio >= 4.5, `${name}.${key} ${theme[key]} on ${theme.background}: ${ratio.toFixed(2)}:1`);
    }
  });
  test(`${name} theme: selected text stays readable`, () => {
    assert.ok(contrast(theme.selectionForeground!, theme.selectionBackground!) >= 4.5);
  });
}

test('the contrast function agrees with known pairs', () => {
  assert.equal(contrast('#000000', '#ffffff').toFixed(0), '21');
  assert.equal(contrast('#777777', '#ffffff').toFixed(2), '4.48');
});
