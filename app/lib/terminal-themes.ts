/**
 * xterm.js colour themes for the two schemes. Every ANSI colour keeps at least
 * 4.5:1 against its background (WCAG AA for text): the stock xterm palette's
 * yellow and cyan on white, or blue on black, do not. Values after GitHub's
 * Primer light and dark terminal palettes, with the light ones darkened where they fell short.
 */
import type { ITheme } from '@xterm/xterm';

export const TERMINAL_THEMES: Record<'light' | 'dark', ITheme> = {
  dark: {
    background: '#0d1117', foreground: '#e6edf3', cursor: '#e6edf3', cursorAccent: '#0d1117',
    selectionBackground: '#264f78', selectionForeground: '#ffffff',
    black: '#8b949e', red: '#ff7b72', green: '#3fb950', yellow: '#d29922', blue: '#58a6ff', magenta: '#bc8cff', cyan: '#39c5cf', white: '#b1bac4',
    brightBlack: '#9ea7b3', brightRed: '#ffa198', brightGreen: '#56d364', brightYellow: '#e3b341', brightBlue: '#79c0ff', brightMagenta: '#d2a8ff', brightCyan: '#56d4dd', brightWhite: '#ffffff',
  },
  light: {
    background: '#ffffff', foreground: '#1f2328', cursor: '#1f2328', cursorAccent: '#ffffff',
    selectionBackground: '#b6d7ff', selectionForeground: '#1f2328',
    black: '#24292f', red: '#b3261e', green: '#116329', yellow: '#6c4400', blue: '#0550ae', magenta: '#6639ba', cyan: '#0e6571', white: '#59636e',
    brightBlack: '#57606a', brightRed: '#a40e26', brightGreen: '#1a7f37', brightYellow: '#633c01', brightBlue: '#0969da', brightMagenta: '#8250df', brightCyan: '#136d7a', brightWhite: '#424a53',
  },
};
