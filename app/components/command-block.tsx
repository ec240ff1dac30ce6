'use client';
// <Command> in a lab: a code block with ▶ Run (types it into a node's terminal) or Copy.
import { useLayoutEffect, useRef, useState } from 'react';
import { substituteVars, type CommandProps } from '@/runtime/labs/lab-types';
import { copyText } from '@/app/lib/copy-text';
import { testIds } from '@/app/lib/test-ids';
import { usePlayer } from './player-context';

export function CommandBlock({ node, mode, interrupt, lang, code }: CommandProps) {
  const player = usePlayer();
  const text = substituteVars(code, player.vars);
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const [number, setNumber] = useState(0);

  // Blocks are numbered in document order for test ids (run-1, run-2…). Counting
  // the DOM keeps the numbers stable across re-renders with no shared counter.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const root = el.closest('[data-lab-text]') ?? document;
    setNumber(Array.from(root.querySelectorAll('[data-command]')).indexOf(el) + 1);
  }, []);

  const copy = () => {
    copyText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    }, (err: unknown) => player.reportError((err as Error).message));
  };

  return (
    <div className={`command ${mode}`} ref={box} data-command={mode}>
      <div className="command-head">
        <span>{lang ?? 'shell'}{node ? ` · ${node}` : ''}</span>
        {interrupt && <span className="interrupt" title="Presses Ctrl-C first to stop what is running">Ctrl-C first</span>}
      </div>
      <pre className={lang ? `language-${lang}` : undefined}><code>{text}</code></pre>
      <div className="command-actions">
        {mode === 'run' && (
          <button type="button" data-testid={number ? testIds.run(number) : undefined} disabled={!player.ready}
            title={player.ready ? `Type this into ${node ?? 'the terminal'}` : 'Start the lab first'}
            onClick={() => player.run(node, text, !!interrupt)}>
            ▶ Run{node ? ` on ${node}` : ''}
          </button>
        )}
        <button type="button" className={mode === 'run' ? 'secondary' : ''} data-testid={number ? testIds.copy(number) : undefined} onClick={copy}>
          {copied ? 'Copied ✓' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
