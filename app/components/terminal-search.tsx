'use client';
// The small search box Ctrl+Shift+F opens over a terminal.
import { useState } from 'react';

interface Props {
  /** Finds a match (incremental: while typing, from the current one); false when there is none. */
  onFind(text: string, how: 'next' | 'previous' | 'incremental'): boolean;
  onClose(): void;
}

export function TerminalSearch({ onFind, onClose }: Props) {
  const [missing, setMissing] = useState(false);
  return (
    <div className="term-search" role="search">
      <input
        autoFocus
        aria-label="search the terminal"
        placeholder="Search · Enter next · Shift+Enter previous · Esc"
        className={missing ? 'missing' : undefined}
        onChange={(e) => setMissing(e.target.value !== '' && !onFind(e.target.value, 'incremental'))}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'Enter') setMissing(!onFind(e.currentTarget.value, e.shiftKey ? 'previous' : 'next'));
        }}
      />
      <button type="button" className="icon" aria-label="close search" onClick={onClose}>✕</button>
    </div>
  );
}
