'use client';
/**
 * One node's terminal: xterm.js over the terminal WebSocket
 * (runtime/terminal/protocol.ts), with flow-control acks, resize, reconnect
 * with scrollback replay, search, clipboard and links. Every listener and
 * addon is released on unmount.
 */
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { SearchAddon } from '@xterm/addon-search';
import { ClipboardAddon } from '@xterm/addon-clipboard';
import { ACK_EVERY_BYTES, parseServerMessage, terminalUrl, type ClientMessage } from '@/runtime/terminal/protocol';
import { AckCounter } from '@/app/lib/ack-counter';
import { isFinalClose, reconnectDelay } from '@/app/lib/reconnect';
import type { TerminalHandle } from './player-context';

interface Props {
  sessionId: string;
  node: string;
  visible: boolean;
  /** Changes when the session is reset: the view reconnects to the new shell. */
  generation: number;
  register(node: string, handle: TerminalHandle | null): void;
}

type Status = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export function TerminalView({ sessionId, node, visible, generation, register }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const [status, setStatus] = useState<Status>('connecting');
  const [note, setNote] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const searchRef = useRef<SearchAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const disposables: { dispose(): void }[] = [];
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
      theme: { background: '#0d1117', foreground: '#e6edf3' },
      allowProposedApi: true,
    });
    termRef.current = term;
    const fit = new FitAddon();
    const search = new SearchAddon();
    fitRef.current = fit;
    searchRef.current = search;
    for (const addon of [fit, search, new WebLinksAddon(), new ClipboardAddon()]) term.loadAddon(addon);
    term.open(el);
    disposables.push(term);

    const encoder = new TextEncoder();
    const acks = new AckCounter(ACK_EVERY_BYTES);
    let ws: WebSocket | null = null;
    let attempt = 0;
    let exited = false;
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const control = (m: ClientMessage) => ws?.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m));
    const sendInput = (text: string) => ws?.readyState === WebSocket.OPEN && ws.send(encoder.encode(text));

    const connect = () => {
      if (disposed) return;
      exited = false;
      acks.reset();
      const url = `${terminalUrl(window.location, sessionId, node)}&cols=${term.cols}&rows=${term.rows}`;
      const socket = new WebSocket(url);
      ws = socket;
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        attempt = 0;
        setStatus('connected');
        setNote(null);
      };
      socket.onmessage = (event) => {
        if (typeof event.data === 'string') {
          const message = parseServerMessage(event.data);
          if (message?.type === 'attached' && message.replay) term.reset();
          else if (message?.type === 'exit') {
            exited = true;
            term.write('\r\n\x1b[33m[shell exited — press Enter for a new shell]\x1b[0m\r\n');
          } else if (message?.type === 'error') term.write(`\r\n\x1b[31m${message.message}\x1b[0m\r\n`);
          return;
        }
        const bytes = new Uint8Array(event.data as ArrayBuffer);
        term.write(bytes, () => {
          const ack = acks.rendered(bytes.length);
          if (ack) control({ type: 'ack', bytes: ack });
        });
      };
      socket.onclose = (event) => {
        if (disposed || ws !== socket) return;
        if (isFinalClose(event.code)) {
          setStatus('closed');
          setNote(event.reason || 'terminal closed');
          return;
        }
        setStatus('reconnecting');
        timer = setTimeout(connect, reconnectDelay(attempt++));
      };
    };

    disposables.push(term.onData((data) => {
      if (exited && data === '\r') return connect();
      sendInput(data);
    }));
    disposables.push(term.onBinary((data) => ws?.readyState === WebSocket.OPEN && ws.send(Uint8Array.from(data, (c) => c.charCodeAt(0)))));
    disposables.push(term.onResize(({ cols, rows }) => control({ type: 'resize', cols, rows })));

    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
      const key = e.key.toLowerCase();
      if (key === 'c' && term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      if (key === 'v') {
        void navigator.clipboard?.readText().then((t) => term.paste(t)).catch(() => undefined);
        return false;
      }
      if (key === 'f') {
        setSearching((s) => !s);
        return false;
      }
      return true;
    });
    const onContextMenu = (e: MouseEvent) => {
      e.preventDefault();
      if (term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection());
        term.clearSelection();
      } else {
        void navigator.clipboard?.readText().then((t) => term.paste(t)).catch(() => undefined);
      }
    };
    el.addEventListener('contextmenu', onContextMenu);

    const refit = () => {
      if (el.offsetParent !== null) {
        try {
          fit.fit();
        } catch {
          /* not laid out yet */
        }
      }
    };
    const observer = new ResizeObserver(refit);
    observer.observe(el);
    refit();
    connect();

    register(node, {
      send: (text) => sendInput(text),
      focus: () => term.focus(),
    });

    return () => {
      disposed = true;
      clearTimeout(timer);
      register(node, null);
      observer.disconnect();
      el.removeEventListener('contextmenu', onContextMenu);
      ws?.close(1000, 'view closed');
      for (const d of disposables.reverse()) d.dispose();
      termRef.current = null;
    };
  }, [sessionId, node, generation, register]);

  useEffect(() => {
    if (!visible) return;
    const id = requestAnimationFrame(() => {
      try {
        fitRef.current?.fit();
      } catch {
        /* not laid out yet */
      }
      termRef.current?.focus();
    });
    return () => cancelAnimationFrame(id);
  }, [visible]);

  return (
    <div className="terminal-pane" style={{ display: visible ? 'flex' : 'none' }} data-testid={`terminal-${node}`} data-status={status}>
      {searching && (
        <input
          className="term-search"
          autoFocus
          placeholder="Search (Enter: next, Esc: close)"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setSearching(false);
              termRef.current?.focus();
            } else if (e.key === 'Enter') searchRef.current?.findNext((e.target as HTMLInputElement).value);
          }}
        />
      )}
      {status !== 'connected' && <div className="term-overlay">{status === 'closed' ? note : `${status}…`}</div>}
      <div className="term-host" ref={host} />
    </div>
  );
}
