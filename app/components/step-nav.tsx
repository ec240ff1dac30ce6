'use client';
// The lab header: title, "step 3 of 7", previous/next, a marker per step, and the reading mode.
import { progressLabel } from '@/app/lib/step-progress';
import { testIds } from '@/app/lib/test-ids';
import type { ReadingMode, StepInfo, StepResult } from './player-context';

interface Props {
  title: string;
  steps: StepInfo[];
  results: Record<string, StepResult>;
  current: number;
  mode: ReadingMode;
  goTo(index: number): void;
  toggleMode(): void;
}

export function StepNav({ title, steps, results, current, mode, goTo, toggleMode }: Props) {
  const done = steps.filter((s) => results[s.id]?.passed).length;
  return (
    <header className="lab-header">
      <h1>{title}</h1>
      <nav className="step-nav" aria-label="steps">
        <button type="button" className="icon" aria-label="previous step" disabled={current <= 0} onClick={() => goTo(current - 1)}>‹</button>
        <span data-testid={testIds.stepProgress} aria-live="polite">{progressLabel(current, steps.length)}</span>
        <button type="button" className="icon" aria-label="next step" disabled={current >= steps.length - 1} onClick={() => goTo(current + 1)}>›</button>
        <span className="done-count">{done} of {steps.length} done</span>
        <button type="button" className="icon mode" data-testid={testIds.modeToggle} aria-pressed={mode === 'step'} onClick={toggleMode}
          title={mode === 'page' ? 'Show one step at a time' : 'Show the whole lab as one page'}>
          {mode === 'page' ? 'one step at a time' : 'whole page'}
        </button>
      </nav>
      <ol className="step-markers">
        {steps.map((s, i) => {
          const passed = !!results[s.id]?.passed;
          return (
            <li key={s.id} className={`${passed ? 'done' : ''}${i === current ? ' current' : ''}`}>
              <button type="button" title={`${i + 1}. ${s.title}${passed ? ' (done)' : ''}`} aria-current={i === current ? 'step' : undefined}
                onClick={() => goTo(i)}>{passed ? '✓' : i + 1}</button>
            </li>
          );
        })}
      </ol>
      <div className="step-bar" aria-hidden><div style={{ width: `${steps.length ? (100 * done) / steps.length : 0}%` }} /></div>
    </header>
  );
}
