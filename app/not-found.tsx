// Unknown lab or page.
import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="narrow" id="main">
      <h1>Not found</h1>
      <p>There is no such lab or page. <Link href="/">Back to the labs</Link>.</p>
    </main>
  );
}
