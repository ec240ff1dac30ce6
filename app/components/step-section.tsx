'use client';
// <Step> in a lab: a numbered section with its Check button and result.
import type { ReactNode } from 'react';
import { testIds } from '@/app/lib/test-ids';
import { usePlayer } from './player-context';

interface Props {
  id: string;
  title: string;
  index: number;
  hasCheck: boolean;
  autoCheck?: boolean;
  children?: ReactNode;
}

export function StepSection({ id, title, index, hasCheck, autoCheck, children }: Props) {
  const player = usePlayer();
  const result = player.results[id];
  const passed = !!result?.passed;
  const isCurrent = index === player.current;
  const last = index === player.stepCount - 1;
  return (
    <section
      className={`step${passed ? ' passed' : ''}${isCurrent ? ' current' : ''}${last ? ' last' : ''}`}
      data-testid={testIds.step(id)}
      data-step-index={index}
      data-passed={passed}
      id={`step-${id}`}
      hidden={player.mode === 'step' && !isCurrent}
      aria-labelledby={`step-${id}-title`}
    >
      <h2 id={`step-${id}-title`} tabIndex={-1}>
        <span className="marker" aria-label={passed ? 'done' : `step ${index + 1}`}>{passed ? '✓' : index + 1}</span>
        <span>{title}</span>
        {autoCheck && <span className="auto" title="This step checks itself every few seconds">auto</span>}
      </h2>
      {children}
      {hasCheck && (
        <div className="check">
          <button type="button" data-testid={testIds.check(id)} disabled={!player.ready || result?.checking}
            title={player.ready ? 'Check this step against your nodes' : 'Start the lab first'} onClick={() => player.check(id)}>
            {result?.checking ? 'Checking…' : 'Check'}
          </button>
          {result?.checked && (
            <span className={`result ${result.passed ? 'ok' : 'hint'}`}
              data-testid={testIds.checkResult(id)}>
              {resultText(result.passed, result.message)}
            </span>
          )}
        </div>
      )}
      {player.mode === 'step' && !last && (
        <div className="step-next">
          <button type="button" className={passed ? '' : 'secondary'} onClick={() => player.goTo(index + 1)}>Next step ›</button>
        </div>
      )}
    </section>
  );
}

/** "✓ Passed" alone, or with the check's own words when it said something. */
function resultText(passed: boolean, message: string): string {
  if (!passed) return message || 'Not yet: the check did not pass.';
  // Checks that pass silently report a stock word; only real words are worth showing.
  return message && !/^(ok|done|passed)\.?$/i.test(message.trim()) ? `✓ Passed — ${message}` : '✓ Passed';
}
