'use client';
// Under the terminal tabs: font size, colour theme, screen-reader mode, and the key that leaves a terminal.
import { FONT_MAX, FONT_MIN, withFontSize, type ThemeChoice } from '@/app/lib/terminal-settings';
import { LEAVE_KEY_LABEL } from '@/app/lib/terminal-shortcuts';
import { testIds } from '@/app/lib/test-ids';
import type { TerminalSettingsState } from './use-terminal-settings';

/** The hint's id: every terminal's input points at it with aria-describedby. */
export const LEAVE_HINT_ID = 'terminal-leave-hint';

export function TerminalSettingsBar({ state }: { state: TerminalSettingsState }) {
  const { settings, update } = state;
  return (
    <div className="term-settings" role="group" aria-label="terminal settings" data-testid={testIds.terminalSettings}>
      <span className="font-size">
        text size
        <button type="button" className="icon" aria-label="smaller terminal text" data-testid={testIds.fontSmaller}
          disabled={settings.fontSize <= FONT_MIN} onClick={() => update((s) => withFontSize(s, -1))}>−</button>
        <span data-testid={testIds.fontSize} role="status">{settings.fontSize}px</span>
        <button type="button" className="icon" aria-label="larger terminal text" data-testid={testIds.fontLarger}
          disabled={settings.fontSize >= FONT_MAX} onClick={() => update((s) => withFontSize(s, 1))}>+</button>
      </span>
      <label>
        theme{' '}
        <select value={settings.theme} data-testid={testIds.themeSelect}
          onChange={(e) => update((s) => ({ ...s, theme: e.target.value as ThemeChoice }))}>
          <option value="system">system</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={settings.screenReader} data-testid={testIds.screenReaderToggle}
          onChange={(e) => update((s) => ({ ...s, screenReader: e.target.checked }))} />{' '}
        screen reader mode
      </label>
      <span className="leave-hint" id={LEAVE_HINT_ID}><kbd>{LEAVE_KEY_LABEL}</kbd> leaves the terminal</span>
    </div>
  );
}
