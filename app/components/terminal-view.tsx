'use client';
/**
 * One node's terminal: xterm.js over the terminal WebSocket (TerminalConnection
 * does the protocol), with fit-to-pane, links, search (Ctrl+Shift+F),
 * copy/paste by Ctrl+Shift+C / Ctrl+Shift+V (or Ctrl/Shift+Insert) or right
 * click, and Ctrl+Shift+E to leave it (Tab belongs to the shell). Font size,
 * theme and screen-reader mode follow the learner's settings live. Stays mounted while
 * its tab is hidden, so the shell and its screen survive tab switches; every
 * listener and addon is released on unmount.
 */
import { useEffect, useRef, useState } from 'react';
import { Terminal, type IDisposable } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { SearchAddon } from '@xterm/addon-search';
import { ClipboardAddon } from '@xterm/addon-clipboard';
import { terminalUrl } from '@/runtime/terminal/protocol';
import { TerminalConnection, browserSocket, type ConnectionState } from '@/app/lib/terminal-connection';
import { testIds } from '@/app/lib/test-ids';
import type { TerminalSettings } from '@/app/lib/terminal-settings';
import { TERMINAL_THEMES } from '@/app/lib/terminal-themes';
import { attachTerminalKeys } from './terminal-keys';
import { TerminalSearch } from './terminal-search';
import { LEAVE_HINT_ID } from './terminal-settings-bar';

export interface TerminalHandle {
  /** Sends keystrokes; false when the terminal is not connected. */
  send(keys: string): boolean;
  focus(): void;
}

interface Props {
  sessionId: string;
  node: string;
  visible: boolean;
  register(node: string, handle: TerminalHandle | null): void;
  /** The server closed for good (session ended or reset): the player re-reads the session. */
  onFinalClose(reason: string): void;
  settings: TerminalSettings;
  theme: 'light' | 'dark';
  reducedMotion: boolean;
  /** Ctrl+Shift+E: the player moves focus out of the terminal (to its tab). */
  onLeave(): void;
  /** The id of the tab that labels this panel. */
  tabId: string;
  panelId: string;
}

const NOTICE = { exited: '\r\n\x1b[33m[shell exited — press Enter to restart]\x1b[0m\r\n' };

export function TerminalView({ sessionId, node, visible, register, onFinalClose, settings, theme, reducedMotion, onLeave, tabId, panelId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const connRef = useRef<TerminalConnection | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const [detail, setDetail] = useState<string | undefined>();
  const [searching, setSearching] = useState(false);
  const finalClose = useRef(onFinalClose);
  finalClose.current = onFinalClose;
  const leave = useRef(onLeave);
  leave.current = onLeave;
  // The terminal is built once per shell; these seed it, and the effect below follows later changes.
  const look = useRef({ settings, theme, reducedMotion });
  look.current = { settings, theme, reducedMotion };

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const store: IDisposable[] = [];
    const initial = look.current;
    const term = new Terminal({
      cursorBlink: !initial.reducedMotion,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: initial.settings.fontSize,
      scrollback: 5000,
      rightClickSelectsWord: false,
      allowProposedApi: true,
      screenReaderMode: initial.settings.screenReader,
      theme: TERMINAL_THEMES[initial.theme],
    });
    store.push(term);
    const fit = new FitAddon();
    const search = new SearchAddon();
    for (const addon of [fit, search, new WebLinksAddon(), new ClipboardAddon()]) term.loadAddon(addon);
    term.open(el);
    // Screen readers announce, with the terminal's input, how to get out of it.
    term.textarea?.setAttribute('aria-describedby', LEAVE_HINT_ID);
    termRef.current = term;
    fitRef.current = fit;
    searchRef.current = search;

    const conn = new TerminalConnection({
      url: () => `${terminalUrl(window.location, sessionId, node)}&cols=${term.cols}&rows=${term.rows}`,
      connect: browserSocket,
      write: (bytes, done) => term.write(bytes, done),
      clear: () => term.reset(),
      onState: (next, why) => {
        setState(next);
        setDetail(why);
        if (next === 'exited') term.write(NOTICE.exited);
        if (next === 'closed') finalClose.current(why ?? 'closed');
      },
      onServerError: (message) => term.write(`\r\n\x1b[31m${message}\x1b[0m\r\n`),
    });
    connRef.current = conn;
    store.push({ dispose: () => conn.dispose() });

    store.push(term.onData((data) => {
      // After `exit`, any key (Enter, as the notice says) opens a fresh shell.
      if (conn.state === 'exited') return conn.restart();
      conn.input(data);
    }));
    store.push(term.onBinary((data) => conn.input(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff))));
    store.push(term.onResize(({ cols, rows }) => conn.resize(cols, rows)));

    store.push(attachTerminalKeys(term, el, { search: () => setSearching(true), leave: () => leave.current() }));

    const refit = () => {
      // A hidden tab has no size; fitting it would shrink the shell to nothing.
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    const observer = new ResizeObserver(refit);
    observer.observe(el);
    store.push({ dispose: () => observer.disconnect() });
    refit();
    conn.start();

    register(node, {
      send: (keys) => conn.input(keys),
      focus: () => term.focus(),
    });
    store.push({ dispose: () => register(node, null) });

    return () => {
      termRef.current = null;
      fitRef.current = null;
      searchRef.current = null;
      connRef.current = null;
      for (const d of store.reverse()) d.dispose();
    };
  }, [sessionId, node, register]);

  // Settings changed: restyle the live terminal in place and refit (a new font size changes rows and columns).
  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    term.options.fontSize = settings.fontSize;
    term.options.theme = TERMINAL_THEMES[theme];
    term.options.screenReaderMode = settings.screenReader;
    term.options.cursorBlink = !reducedMotion;
    const el = host.current;
    if (el && el.clientWidth > 0 && el.clientHeight > 0) fitRef.current?.fit();
  }, [settings.fontSize, settings.screenReader, theme, reducedMotion]);

  // Coming into view: fit to the pane and take the keyboard.
  useEffect(() => {
    if (!visible) return;
    const frame = requestAnimationFrame(() => {
      const el = host.current;
      if (el && el.clientWidth > 0) fitRef.current?.fit();
      termRef.current?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [visible]);

  const overlay = state === 'connecting' ? 'connecting…'
    : state === 'reconnecting' ? `reconnecting…${detail ? ` (${detail})` : ''}`
    : state === 'closed' ? `disconnected: ${detail ?? 'closed'}` : null;

  return (
    <div className="terminal-pane" hidden={!visible} data-testid={testIds.terminal(node)} data-state={state} role="tabpanel"
      id={panelId} aria-labelledby={tabId} data-font-size={settings.fontSize} data-theme={theme} data-screen-reader={settings.screenReader ? '' : undefined}>
      {searching && (
        <TerminalSearch
          onFind={(text, how) => {
            const search = searchRef.current;
            if (!search) return false;
            return how === 'previous' ? search.findPrevious(text) : search.findNext(text, { incremental: how === 'incremental' });
          }}
          onClose={() => {
            setSearching(false);
            searchRef.current?.clearDecorations();
            termRef.current?.focus();
          }}
        />
      )}
      {overlay && (
        <div className={`term-overlay ${state}`} role="status">
          {overlay}
          {state === 'closed' && <button type="button" className="icon" onClick={() => connRef.current?.restart()}>reconnect</button>}
        </div>
      )}
      <div className="term-host" ref={host} />
    </div>
  );
}
