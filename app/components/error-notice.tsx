'use client';
// A failure the learner must see: visible until dismissed, never swallowed.
import { testIds } from '@/app/lib/test-ids';

export function ErrorNotice({ message, onDismiss }: { message: string | null; onDismiss(): void }) {
  if (!message) return null;
  return (
    <div className="error" role="alert" data-testid={testIds.error}>
      <span>{message}</span>
      <button type="button" className="icon" aria-label="dismiss" onClick={onDismiss}>✕</button>
    </div>
  );
}
