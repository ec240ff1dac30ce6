'use client';
/**
 * The terminal settings of this browser (see app/lib/terminal-settings.ts),
 * with what the system says: dark or light, reduced motion. Saved on every
 * change; another tab of the same browser picks the change up.
 *
 *   const t = useTerminalSettings();
 *   t.settings.fontSize; t.update((s) => withFontSize(s, 1)); t.theme // 'dark'
 */
import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_SETTINGS, SETTINGS_KEY, parseSettings, resolveTheme, type TerminalSettings } from '@/app/lib/terminal-settings';

function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(false);
  useEffect(() => {
    const list = window.matchMedia(query);
    setMatches(list.matches);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

function load(): TerminalSettings {
  try {
    return parseSettings(localStorage.getItem(SETTINGS_KEY));
  } catch {
    // Storage blocked (privacy mode, sandboxed frame): the defaults, unsaved.
    return DEFAULT_SETTINGS;
  }
}

export interface TerminalSettingsState {
  settings: TerminalSettings;
  update(change: (s: TerminalSettings) => TerminalSettings): void;
  theme: 'light' | 'dark';
  reducedMotion: boolean;
}

export function useTerminalSettings(): TerminalSettingsState {
  // Read after mount: the server renders without localStorage, and the first client render must match it.
  const [settings, setSettings] = useState<TerminalSettings>(DEFAULT_SETTINGS);
  useEffect(() => {
    setSettings(load());
    const onStorage = (e: StorageEvent) => {
      if (e.key === SETTINGS_KEY) setSettings(parseSettings(e.newValue));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const update = useCallback((change: (s: TerminalSettings) => TerminalSettings) => {
    setSettings((prev) => {
      const next = change(prev);
      try {
        localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
      } catch {
        // Not saved, still applied for this page.
      }
      return next;
    });
  }, []);
  const dark = useMedia('(prefers-color-scheme: dark)');
  const reducedMotion = useMedia('(prefers-reduced-motion: reduce)');
  return { settings, update, theme: resolveTheme(settings.theme, dark), reducedMotion };
}
