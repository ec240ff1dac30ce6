'use client';
/**
 * A read-only mirror of an attendee's shell (scrollback, then live), over
 * /ws/watch. Acknowledges what it rendered, like the player's terminals, so
 * the mirror keeps up; it never sends keys.
 */
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { ACK_EVERY_BYTES } from '@/runtime/terminal/protocol';

export function TerminalWatch({ sessionId, node, who }: { sessionId: string; node: string; who: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState('connecting…');
  useEffect(() => {
    const term = new Terminal({ disableStdin: true, convertEol: false, cols: 100, rows: 20, fontSize: 13, scrollback: 5000 });
    term.open(host.current!);
    // xterm.js does not render while off screen, and the instructor opened this to look at it.
    host.current!.scrollIntoView({ block: 'nearest' });
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${window.location.host}/ws/watch?${new URLSearchParams({ session: sessionId, node })}`);
    ws.binaryType = 'arraybuffer';
    let unacked = 0;
    ws.onopen = () => setState('watching (read-only)');
    ws.onclose = (e) => setState(`closed: ${e.reason || e.code}`);
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') return;
      const bytes = new Uint8Array(e.data as ArrayBuffer);
      term.write(bytes, () => {
        unacked += bytes.length;
        if (unacked >= ACK_EVERY_BYTES && ws.readyState === ws.OPEN) {
          ws.send(JSON.stringify({ type: 'ack', bytes: unacked }));
          unacked = 0;
        }
      });
    };
    return () => {
      ws.close();
      term.dispose();
    };
  }, [sessionId, node]);
  return (
    <section aria-label={`${who}'s terminal ${node}, read-only`} className="ws-watch">
      <p className="ws-who">{who} · {node} · <span data-testid="watch-state">{state}</span></p>
      <div ref={host} data-testid="watch-terminal" />
    </section>
  );
}
