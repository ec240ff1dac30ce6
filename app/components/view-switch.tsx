'use client';
// On a phone-sized screen: two tabs, the lab's text or its terminals (CSS shows the switch only there).
import { testIds } from '@/app/lib/test-ids';

export type PlayerView = 'text' | 'work';

const LABEL: Record<PlayerView, string> = { text: 'Instructions', work: 'Terminal' };
const ORDER: PlayerView[] = ['text', 'work'];

export function ViewSwitch({ view, onChange }: { view: PlayerView; onChange(view: PlayerView): void }) {
  return (
    <div className="view-switch" role="tablist" aria-label="view">
      {ORDER.map((v) => (
        <button key={v} type="button" role="tab" aria-selected={view === v} aria-controls={`pane-${v}`} tabIndex={view === v ? 0 : -1}
          data-testid={testIds.viewTab(v)} className={view === v ? 'active' : ''} onClick={() => onChange(v)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
            e.preventDefault();
            const other = v === 'text' ? 'work' : 'text';
            onChange(other);
            e.currentTarget.parentElement?.querySelector<HTMLElement>(`[data-testid="${testIds.viewTab(other)}"]`)?.focus();
          }}>
          {LABEL[v]}
        </button>
      ))}
    </div>
  );
}
