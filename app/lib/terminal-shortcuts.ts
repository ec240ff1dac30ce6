/**
 * The keys the player takes from a terminal before the shell sees them. A
 * terminal captures Tab (the shell completes with it), so leaving it needs a
 * key of its own: Ctrl+Shift+E ("exit"), free in Chromium and Firefox and
 * meaningless to a shell. Everything else is the usual terminal emulator set.
 *
 *   const action = terminalShortcut(event);  // 'leave' | 'copy' | … | null
 */

export type TerminalAction = 'leave' | 'copy' | 'paste' | 'search';

/** What README and the hint under each terminal tell the learner. */
export const LEAVE_KEY_LABEL = 'Ctrl+Shift+E';

export interface KeyLike {
  type: string;
  key: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export function terminalShortcut(e: KeyLike): TerminalAction | null {
  if (e.type !== 'keydown' || e.altKey || e.metaKey) return null;
  const key = e.key.toLowerCase();
  if (e.ctrlKey && e.shiftKey) {
    if (key === 'e') return 'leave';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    if (key === 'f') return 'search';
    return null;
  }
  // The IBM CUA pair that Linux and Windows terminals keep.
  if (key === 'insert' && e.ctrlKey) return 'copy';
  if (key === 'insert' && e.shiftKey) return 'paste';
  return null;
}
