/**
 * The learner's terminal preferences, kept per browser in localStorage:
 * font size, colour theme (the system's, or forced light/dark) and xterm's
 * screen-reader mode. Reading is forgiving the way a stored value must be:
 * anything missing, foreign or out of range falls back to its default, so a
 * corrupt entry can never break the player.
 *
 *   const settings = parseSettings(localStorage.getItem(SETTINGS_KEY));
 *   localStorage.setItem(SETTINGS_KEY, JSON.stringify(withFontSize(settings, +1)));
 */

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface TerminalSettings {
  fontSize: number;
  theme: ThemeChoice;
  screenReader: boolean;
}

export const SETTINGS_KEY = 'labdock.terminal-settings';

/** 10 px is the smallest xterm stays legible at; 32 px still fits 80 columns on a 1280 px-wide work pane at 2x. */
export const FONT_MIN = 10;
export const FONT_MAX = 32;

export const DEFAULT_SETTINGS: TerminalSettings = { fontSize: 14, theme: 'system', screenReader: false };

const THEMES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export function parseSettings(raw: string | null | undefined): TerminalSettings {
  let data: unknown;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = null;
  }
  const o = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  return {
    fontSize: typeof o.fontSize === 'number' && Number.isFinite(o.fontSize) ? clampFont(o.fontSize) : DEFAULT_SETTINGS.fontSize,
    theme: THEMES.includes(o.theme as ThemeChoice) ? (o.theme as ThemeChoice) : DEFAULT_SETTINGS.theme,
    screenReader: typeof o.screenReader === 'boolean' ? o.screenReader : DEFAULT_SETTINGS.screenReader,
  };
}

export function clampFont(size: number): number {
  return Math.min(FONT_MAX, Math.max(FONT_MIN, Math.round(size)));
}

export function withFontSize(s: TerminalSettings, delta: number): TerminalSettings {
  return { ...s, fontSize: clampFont(s.fontSize + delta) };
}

/** The theme to paint: the learner's choice, or the system's when they chose none. */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (systemPrefersDark ? 'dark' : 'light') : choice;
}
