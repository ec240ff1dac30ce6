// The lab catalog: every lab in labs/, with what this server can run.
import Link from 'next/link';
import { getServices } from './lib/services';

export const dynamic = 'force-dynamic';

export default async function CatalogPage() {
  const { labs, engine } = getServices();
  const list = await labs.list();
  return (
    <main className="catalog">
      {engine.message && <div className="banner" role="status" data-testid="engine-banner">{engine.message}</div>}
      <h1>Labs</h1>
      {list.length === 0 && <p>No labs found in the labs folder.</p>}
      <ul className="cards">
        {list.map((lab) => (
          <li key={lab.id} className={`card${lab.available ? '' : ' unavailable'}`} data-testid={`lab-${lab.id}`}>
            <h2><Link href={`/labs/${lab.id}`}>{lab.title}</Link></h2>
            <p>{lab.summary}</p>
            <div className="meta">
              <span className={`pill ${lab.difficulty}`}>{lab.difficulty}</span>
              <span>{lab.durationMinutes} min</span>
              <span>{lab.stepCount} steps</span>
              <span>{lab.nodes.length} node{lab.nodes.length === 1 ? '' : 's'}</span>
            </div>
            {lab.topics.length > 0 && <div className="topics">{lab.topics.map((t) => <span key={t}>#{t}</span>)}</div>}
            {!lab.available && <p className="why">Unavailable here: {lab.unavailableReason}</p>}
          </li>
        ))}
      </ul>
    </main>
  );
}
