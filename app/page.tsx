// / — the lab catalog: every lab in labs/, and whether this server can run it.
import Link from 'next/link';
import { cookies } from 'next/headers';
import { getServices } from './lib/services';
import { getServicesSlot } from '@/runtime/services';
import type { AppServices } from '@/runtime/app-services';
import { BROWSER_COOKIE } from './api/_lib/creation-guard';
import { testIds } from './lib/test-ids';
import './instructor/_components/workshops.css';
import type { LabSummary } from '@/runtime/services';

export const dynamic = 'force-dynamic';

export default async function CatalogPage() {
  const { labs, engine } = getServices();
  const list = await labs.list();
  const blocked = list.filter((l) => !l.available);
  // "Continue": the sessions this browser (its id cookie) started and can still come back to.
  const browser = (await cookies()).get(BROWSER_COOKIE)?.value;
  const mine = browser && /^[A-Za-z0-9_-]{22}$/.test(browser) ? await getServicesSlot<AppServices>().sessions.ofBrowser(browser) : [];
  const continuing = new Map<string, Continue>();
  for (const s of mine) if (!continuing.has(s.labId)) continuing.set(s.labId, { status: s.status, passed: s.steps.map((p) => p.stepId) });
  return (
    <main className="catalog" id="main">
      {engine.message && (
        <div className="banner" role="status" data-testid="engine-banner">
          <strong>{engine.message}</strong>
          {blocked.length > 0 && <span> Unavailable here: {blocked.map((l) => l.title).join(', ')}.</span>}
        </div>
      )}
      <form action="/join" method="get" className="join-box" aria-label="join a workshop">
        <label>Workshop code <input name="code" maxLength={12} autoComplete="off" data-testid="join-code-input" /></label>
        <button type="submit">Join</button>
      </form>
      <h1>Labs</h1>
      <p className="lead">Each lab gives you real nodes in a sandbox, step-by-step instructions beside their terminals, and checks that look at what you actually did.</p>
      {engine.isolationSummary && (
        <p className="isolation" data-testid="engine-isolation" data-mode={engine.isolation}>Docker nodes: {engine.isolationSummary}.</p>
      )}
      {list.length === 0 && <p>No labs found: add one under <code>labs/&lt;id&gt;/lab.mdx</code>.</p>}
      <ul className="cards">
        {list.map((lab) => <LabCard key={lab.id} lab={lab} resume={continuing.get(lab.id)} />)}
      </ul>
    </main>
  );
}

interface Continue {
  status: string;
  passed: string[];
}

function LabCard({ lab, resume }: { lab: LabSummary; resume?: Continue }) {
  return (
    <li className={`card${lab.available ? '' : ' unavailable'}`} data-testid={testIds.lab(lab.id)}>
      <h2><Link href={`/labs/${lab.id}`}>{lab.title}</Link></h2>
      <p className="summary">{lab.summary}</p>
      <dl className="facts">
        <div><dt>level</dt><dd><span className={`pill ${lab.difficulty}`}>{lab.difficulty}</span></dd></div>
        <div><dt>time</dt><dd>{lab.durationMinutes} min</dd></div>
        <div><dt>steps</dt><dd>{lab.stepCount}</dd></div>
        <div><dt>nodes</dt><dd>{lab.nodes.length}{lab.engine === 'docker' ? ' · Docker' : ' · sandbox'}{lab.registry ? ' · registry' : ''}</dd></div>
      </dl>
      {lab.topics.length > 0 && <ul className="topics" aria-label="topics">{lab.topics.map((t) => <li key={t}>{t}</li>)}</ul>}
      {resume && (
        <p className="continue">
          <Link href={`/labs/${lab.id}`} data-testid={testIds.continueLab(lab.id)}>
            Continue<span className="sr-only">: {lab.title}</span>
          </Link>{' '}
          <span data-testid={`${testIds.continueLab(lab.id)}-step`}>
            {resume.status === 'paused' ? 'paused' : 'running'}, {stepReached(lab, resume.passed)}
          </span>
        </p>
      )}
      {lab.available
        ? <Link className="open" href={`/labs/${lab.id}`}>Open lab<span className="sr-only">: {lab.title}</span> <span aria-hidden>→</span></Link>
        : <p className="why">Unavailable here: {lab.unavailableReason}</p>}
    </li>
  );
}

/** "step 3 of 5": the first step in lab order not passed yet (steps may be passed out of order), or "all 5 steps done". */
function stepReached(lab: LabSummary, passed: string[]): string {
  const next = lab.stepIds.findIndex((id) => !passed.includes(id));
  return next < 0 ? `all ${lab.stepCount} steps done` : `step ${next + 1} of ${lab.stepCount}`;
}
