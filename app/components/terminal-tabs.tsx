'use client';
// A tab per node (name and hostname) over terminals that all stay mounted,
// plus optional panes that are not terminals (the registry console).
import { useState, type ReactNode } from 'react';
import type { SessionView } from '@/runtime/services';
import { testIds } from '@/app/lib/test-ids';
import { TerminalView, type TerminalHandle } from './terminal-view';

interface Props {
  session: SessionView;
  active: string;
  /** Changes on reset: every terminal remounts and connects to the new shell. */
  generation: number;
  onSelect(node: string): void;
  register(node: string, handle: TerminalHandle | null): void;
  onFinalClose(reason: string): void;
  /** Tabs after the terminals; their ids never collide with node names (they start with '#'). */
  extraTabs?: { id: string; label: string; testId: string; content: ReactNode }[];
}

export function TerminalTabs({ session, active, generation, onSelect, register, onFinalClose, extraTabs = [] }: Props) {
  // An extra pane mounts when first opened and then stays (hidden), keeping its state like the terminals do.
  const [opened, setOpened] = useState<string[]>([]);
  if (active.startsWith('#') && !opened.includes(active)) setOpened([...opened, active]);
  return (
    <div className="terminals">
      <div className="tabs" role="tablist" aria-label="terminals">
        {session.nodes.map((n) => (
          <button key={n.name} type="button" role="tab" aria-selected={active === n.name} data-testid={testIds.terminalTab(n.name)}
            className={active === n.name ? 'active' : ''} onClick={() => onSelect(n.name)} title={`${n.name} — ${n.hostname}`}>
            <span className="tab-name">{n.name}</span>
            {n.hostname !== n.name && <span className="tab-host">{n.hostname}</span>}
          </button>
        ))}
        {extraTabs.map((x) => (
          <button key={x.id} type="button" role="tab" aria-selected={active === x.id} data-testid={x.testId}
            className={`extra-tab${active === x.id ? ' active' : ''}`} onClick={() => onSelect(x.id)}>
            <span className="tab-name">{x.label}</span>
          </button>
        ))}
      </div>
      {session.nodes.map((n) => (
        <TerminalView key={`${session.id}/${n.name}/${generation}`} sessionId={session.id} node={n.name} visible={active === n.name}
          register={register} onFinalClose={onFinalClose} />
      ))}
      {/* Keyed by generation like the terminals: after a reset the pane starts over against the new nodes. */}
      {extraTabs.map((x) => opened.includes(x.id) && <div key={`${x.id}/${generation}`} className="extra-pane" hidden={active !== x.id}>{x.content}</div>)}
    </div>
  );
}
