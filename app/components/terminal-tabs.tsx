'use client';
/**
 * A tab per node (name and hostname) over terminals that all stay mounted,
 * plus optional panes that are not terminals (the registry console), and the
 * terminal settings. The tabs follow the ARIA tabs pattern with manual
 * activation: arrow keys, Home and End move between tabs, Enter or Space
 * opens one (and a terminal then takes the keyboard). Ctrl+Shift+E in a
 * terminal brings the focus back to its tab.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { SessionView } from '@/runtime/services';
import { testIds } from '@/app/lib/test-ids';
import { TerminalView, type TerminalHandle } from './terminal-view';
import { TerminalSettingsBar } from './terminal-settings-bar';
import type { TerminalSettingsState } from './use-terminal-settings';

interface Props {
  session: SessionView;
  active: string;
  /** Changes on reset: every terminal remounts and connects to the new shell. */
  generation: number;
  onSelect(node: string): void;
  register(node: string, handle: TerminalHandle | null): void;
  onFinalClose(reason: string): void;
  look: TerminalSettingsState;
  /** Tabs after the terminals; their ids never collide with node names (they start with '#'). */
  extraTabs?: { id: string; label: string; testId: string; content: ReactNode }[];
}

/** DOM ids from tab ids ('#registry' has a character ids should not carry). */
const domId = (kind: 'tab' | 'panel', id: string) => `${kind}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export function TerminalTabs({ session, active, generation, onSelect, register, onFinalClose, look, extraTabs = [] }: Props) {
  // An extra pane mounts when first opened and then stays (hidden), keeping its state like the terminals do.
  const [opened, setOpened] = useState<string[]>([]);
  if (active.startsWith('#') && !opened.includes(active)) setOpened([...opened, active]);
  const list = useRef<HTMLDivElement>(null);
  const ids = [...session.nodes.map((n) => n.name), ...extraTabs.map((x) => x.id)];
  const focusTab = (id: string) => list.current?.querySelector<HTMLElement>(`#${domId('tab', id)}`)?.focus();

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = ids.indexOf((e.target as HTMLElement).dataset.tab ?? '');
    if (at < 0) return;
    const to = e.key === 'ArrowRight' ? (at + 1) % ids.length
      : e.key === 'ArrowLeft' ? (at - 1 + ids.length) % ids.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? ids.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    focusTab(ids[to]);
  };

  const tabProps = (id: string) => ({
    id: domId('tab', id),
    role: 'tab',
    'aria-selected': active === id,
    // An extra pane is not in the page until first opened: point at it only once it is.
    'aria-controls': id.startsWith('#') && !opened.includes(id) ? undefined : domId('panel', id),
    'data-tab': id,
    // Roving focus: Tab enters the list at the open tab; the arrows move within it.
    tabIndex: active === id ? 0 : -1,
  });

  return (
    <div className="terminals" data-theme={look.theme}>
      <div className="tabs" role="tablist" aria-label="terminals" ref={list} onKeyDown={onKeyDown}>
        {session.nodes.map((n) => (
          <button key={n.name} type="button" {...tabProps(n.name)} data-testid={testIds.terminalTab(n.name)}
            className={active === n.name ? 'active' : ''} onClick={() => onSelect(n.name)} title={`${n.name} — ${n.hostname}`}>
            <span className="tab-name">{n.name}</span>
            {n.hostname !== n.name && <span className="tab-host">{n.hostname}</span>}
          </button>
        ))}
        {extraTabs.map((x) => (
          <button key={x.id} type="button" {...tabProps(x.id)} data-testid={x.testId}
            className={`extra-tab${active === x.id ? ' active' : ''}`} onClick={() => onSelect(x.id)}>
            <span className="tab-name">{x.label}</span>
          </button>
        ))}
      </div>
      <TerminalSettingsBar state={look} />
      {session.nodes.map((n) => (
        <TerminalView key={`${session.id}/${n.name}/${generation}`} sessionId={session.id} node={n.name} visible={active === n.name}
          register={register} onFinalClose={onFinalClose} settings={look.settings} theme={look.theme} reducedMotion={look.reducedMotion}
          onLeave={() => focusTab(n.name)} tabId={domId('tab', n.name)} panelId={domId('panel', n.name)} />
      ))}
      {/* Keyed by generation like the terminals: after a reset the pane starts over against the new nodes. */}
      {extraTabs.map((x) => opened.includes(x.id) && (
        <div key={`${x.id}/${generation}`} className="extra-pane" hidden={active !== x.id} role="tabpanel"
          id={domId('panel', x.id)} aria-labelledby={domId('tab', x.id)}>{x.content}</div>
      ))}
    </div>
  );
}
