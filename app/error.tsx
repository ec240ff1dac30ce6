'use client';
// Any page that failed on the server: say so plainly and offer a retry.
import { useEffect } from 'react';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset(): void }) {
  useEffect(() => console.error(error), [error]);
  return (
    <main className="narrow" id="main">
      <h1>Something went wrong</h1>
      <p>The page could not be built. The server log has the details{error.digest ? ` (digest ${error.digest})` : ''}.</p>
      <button type="button" onClick={reset}>Try again</button>
    </main>
  );
}
