'use client';
// Renders a compiled lab (mdx-bundler output) with labdock's Step, Command and Var.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { getMDXComponent } from 'mdx-bundler/client';
import { substituteVars, type CommandProps, type VarProps } from '@/runtime/labs/lab-types';
import { usePlayer } from './player-context';

interface StepComponentProps {
  id: string;
  title: string;
  index: number;
  hasCheck: boolean;
  autoCheck?: boolean;
  children?: ReactNode;
}

function Step({ id, title, index, hasCheck, autoCheck, children }: StepComponentProps) {
  const player = usePlayer();
  const result = player.results[id];
  const hidden = player.mode === 'step' && index !== player.currentStep;
  return (
    <section className={`step${result?.passed ? ' passed' : ''}`} data-testid={`step-${id}`} id={`step-${id}`} hidden={hidden}>
      <h2>
        <span className="marker">{result?.passed ? '✓' : index + 1}</span> {title}
        {autoCheck && <span className="auto" title="checks itself every few seconds">auto</span>}
      </h2>
      {children}
      {hasCheck && (
        <div className="check">
          <button type="button" data-testid={`check-${id}`} disabled={!player.ready || result?.checking} onClick={() => void player.check(id)}>
            {result?.checking ? 'Checking…' : 'Check'}
          </button>
          {result && !result.checking && (
            <span className={result.passed ? 'ok' : 'hint'} data-testid={`check-result-${id}`} role="status">
              {result.passed ? '✓ Passed' : result.message}
            </span>
          )}
        </div>
      )}
    </section>
  );
}

let commandCounter = 0;

function Command({ node, mode, interrupt, lang, code }: CommandProps) {
  const player = usePlayer();
  const text = substituteVars(code, player.vars);
  const [copied, setCopied] = useState(false);
  const n = useRef<number>(0);
  if (!n.current) n.current = ++commandCounter;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Insecure origins have no async clipboard; a selected textarea still copies.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className={`command ${mode}`}>
      <pre className={lang ? `language-${lang}` : undefined}><code>{text}</code></pre>
      <div className="command-actions">
        {mode === 'run' && (
          <button type="button" data-testid={`run-${n.current}`} disabled={!player.ready} onClick={() => player.runInNode(node, text, !!interrupt)}
            title={`Run in ${node ?? 'the terminal'}${interrupt ? ' (presses Ctrl-C first)' : ''}`}>
            ▶ Run{node ? ` on ${node}` : ''}{interrupt ? ' (Ctrl-C first)' : ''}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
    </div>
  );
}

function Var({ name }: VarProps) {
  const { vars } = usePlayer();
  return <code className="var" title={name}>{vars[name] ?? `{{${name}}}`}</code>;
}

const components = { Step, Command, Var };

export function LabContent({ code }: { code: string }) {
  const Component = useMemo(() => getMDXComponent(code), [code]);
  return <Component components={components as never} />;
}
