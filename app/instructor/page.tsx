// /instructor — the signed-in instructor's workshops.
import Link from 'next/link';
import { appServices, requireInstructor } from './_components/instructor-session';
import { SignOut } from './_components/sign-out';
import './_components/workshops.css';

export const dynamic = 'force-dynamic';

export default async function InstructorHome() {
  const who = await requireInstructor();
  const { workshops } = appServices();
  const list = await workshops.list(who);
  return (
    <main className="catalog">
      <p className="ws-who">Signed in as {who.email} ({who.role}) <SignOut /></p>
      <h1>Workshops</h1>
      <p><Link href="/instructor/workshops/new" className="ws-button">New workshop</Link></p>
      {list.length === 0 && <p>No workshops yet.</p>}
      <table className="ws-table">
        <thead><tr><th>Name</th><th>Code</th><th>Opens</th><th>Closes</th><th>Seats</th><th>State</th></tr></thead>
        <tbody>
          {await Promise.all(list.map(async (w) => (
            <tr key={w.id}>
              <td><Link href={`/instructor/workshops/${w.id}`}>{w.name}</Link></td>
              <td><code>{w.joinCode}</code></td>
              <td>{w.opensAt.toLocaleString()}</td>
              <td>{w.closesAt.toLocaleString()}</td>
              <td>{w.seats}</td>
              <td>{await workshops.state(w)}</td>
            </tr>
          )))}
        </tbody>
      </table>
    </main>
  );
}
