'use client';
// A value in the session panel with a copy button; secrets stay masked until revealed.
import { useState } from 'react';
import { copyText } from '@/app/lib/copy-text';

interface Props {
  value: string;
  label: string;
  testId?: string;
  secret?: boolean;
  onError(message: string): void;
}

export function CopyValue({ value, label, testId, secret, onError }: Props) {
  const [shown, setShown] = useState(!secret);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    copyText(value).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    }, (err: unknown) => onError((err as Error).message));
  };
  return (
    <span className="copy-value">
      <code data-testid={testId} data-secret={secret && !shown ? 'masked' : undefined}>{shown ? value : '•'.repeat(10)}</code>
      {secret && (
        <button type="button" className="icon" aria-label={shown ? `hide ${label}` : `show ${label}`} onClick={() => setShown((s) => !s)}>
          {shown ? 'hide' : 'show'}
        </button>
      )}
      <button type="button" className="icon" aria-label={`copy ${label}`} onClick={copy}>{copied ? 'copied ✓' : 'copy'}</button>
    </span>
  );
}
