'use client';
/**
 * The player's keys and clipboard on one xterm.js terminal: Ctrl+Shift+C /
 * Ctrl+Insert copy, Ctrl+Shift+V / Shift+Insert paste (left to the browser's
 * paste event, which needs no clipboard permission), Ctrl+Shift+F search,
 * Ctrl+Shift+E leave; a right click copies the selection, or pastes when
 * there is none. Returns what to dispose.
 *
 *   store.push(attachTerminalKeys(term, el, { onSearch, onLeave }));
 */
import type { IDisposable, Terminal } from '@xterm/xterm';
import { copyText, readClipboard } from '@/app/lib/copy-text';
import { terminalShortcut } from '@/app/lib/terminal-shortcuts';

const NO_READ = '\r\n\x1b[33m[this browser does not let the page read the clipboard: paste with Ctrl+Shift+V]\x1b[0m\r\n';

export function attachTerminalKeys(term: Terminal, el: HTMLElement, on: { search(): void; leave(): void }): IDisposable {
  const copySelection = () => {
    const text = term.getSelection();
    if (text) copyText(text).catch((err: Error) => term.write(`\r\n\x1b[31m${err.message}\x1b[0m\r\n`));
    term.focus();
  };
  term.attachCustomKeyEventHandler((e) => {
    const action = terminalShortcut(e);
    if (!action) return true;
    if (action !== 'paste') e.preventDefault();
    if (action === 'copy') copySelection();
    else if (action === 'search') on.search();
    else if (action === 'leave') on.leave();
    return false;
  });
  const onContextMenu = (e: MouseEvent) => {
    e.preventDefault();
    if (term.hasSelection()) {
      copySelection();
      term.clearSelection();
      return;
    }
    void readClipboard().then((text) => {
      if (text === null) term.write(NO_READ);
      else term.paste(text);
    });
  };
  el.addEventListener('contextmenu', onContextMenu);
  return { dispose: () => el.removeEventListener('contextmenu', onContextMenu) };
}
