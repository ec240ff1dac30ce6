'use client';
// A tab per node (name and hostname) over terminals that all stay mounted.
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
}

export function TerminalTabs({ session, active, generation, onSelect, register, onFinalClose }: Props) {
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
      </div>
      {session.nodes.map((n) => (
        <TerminalView key={`${session.id}/${n.name}/${generation}`} sessionId={session.id} node={n.name} visible={active === n.name}
          register={register} onFinalClose={onFinalClose} />
      ))}
    </div>
  );
}
