/**
 * The one test suite every Provisioner implementation passes (the way CNCF
 * Distribution runs testsuites.Driver against every storage driver).
 *
 *   provisionerSuite('local', async () => ({ provisioner: createLocalProvisioner({ rootDir }) }), { nodeImage: 'node' });
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ExecTimeoutError, NodeNotFoundError, type Provisioner, type Terminal } from './provisioner';

export interface SuiteTarget {
  provisioner: Provisioner;
  cleanup?: () => Promise<void>;
}

export interface SuiteOptions {
  nodeImage: string;
  /** Nodes share a network and resolve each other's hostnames. */
  nodesReachEachOther: boolean;
  /** Skip everything, with this reason (e.g. no engine on a developer machine). */
  skip?: string;
}

export function provisionerSuite(name: string, make: () => Promise<SuiteTarget>, options: SuiteOptions) {
  const opts = { skip: options.skip, timeout: 240_000 };

  /** A session with two nodes, destroyed after the test whatever happens. */
  async function session(t: TestContext, nodes = ['node1', 'node2']) {
    const { provisioner, cleanup } = await make();
    const id = `t${randomBytes(5).toString('hex')}`;
    t.after(async () => {
      await provisioner.destroySession(id);
      await cleanup?.();
    });
    await provisioner.createSession(id);
    await Promise.all(nodes.map((n) => provisioner.createNode(id, { name: n, hostname: n, image: options.nodeImage })));
    return { p: provisioner, id };
  }

  test(`${name}: nodes have their hostnames; exec returns exit code and interleaved output`, opts, async (t) => {
    const { p, id } = await session(t);
    assert.deepEqual(await p.exec(id, 'node1', 'hostname'), { exitCode: 0, output: 'node1\n' });
    assert.deepEqual(await p.exec(id, 'node2', 'hostname'), { exitCode: 0, output: 'node2\n' });
    const r = await p.exec(id, 'node1', 'echo out; sleep 0.05; echo err >&2; sleep 0.05; echo out2; exit 3');
    assert.equal(r.exitCode, 3);
    assert.equal(r.output, 'out\nerr\nout2\n');
  });

  test(`${name}: exec with stdin and env; state persists between execs`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    const r = await p.exec(id, 'node1', 'bash -s', { stdin: 'echo "$GREETING from script"; echo kept > ~/state.txt', env: { GREETING: 'hello' } });
    assert.deepEqual(r, { exitCode: 0, output: 'hello from script\n' });
    assert.equal((await p.exec(id, 'node1', 'cat ~/state.txt')).output, 'kept\n');
  });

  test(`${name}: a flood of output is kept to its end, not held whole`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    const r = await p.exec(id, 'node1', 'yes flood | head -c 8000000; echo; echo the-last-line');
    assert.equal(r.exitCode, 0);
    assert.ok(r.output.length < 1_100_000, `kept ${r.output.length} bytes`);
    assert.match(r.output, /^\[… \d+ earlier bytes not kept\]/);
    assert.match(r.output, /the-last-line\n$/);
  });

  test(`${name}: exec timeout rejects and leaves nothing running`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    await assert.rejects(p.exec(id, 'node1', 'sleep 30; echo never', { timeoutMs: 500 }), ExecTimeoutError);
    const ps = await p.exec(id, 'node1', 'ps -eo args | grep -c "^sleep 30" || true');
    assert.equal(ps.output.trim(), '0');
  });

  test(`${name}: terminal echoes, resizes, sees exec's files, pauses and resumes`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    await p.exec(id, 'node1', 'echo from-exec > ~/shared.txt');
    const term = await p.openTerminal(id, 'node1', { cols: 80, rows: 24 });
    t.after(() => term.close());
    const screen = collect(term);
    term.write('cat ~/shared.txt; echo $((40+2))\r');
    await screen.waitFor(/from-exec[\s\S]*42/);
    await term.resize(100, 30);
    term.write('stty size\r');
    await screen.waitFor(/30 100/);

    term.pause();
    const before = screen.text().length;
    term.write('echo paused-$((1+1))\r');
    await delay(400);
    assert.ok(!/paused-2/.test(screen.text().slice(before)), 'no output while paused');
    term.resume();
    await screen.waitFor(/paused-2/);
  });

  test(`${name}: nodes of one session reach each other by hostname`, { ...opts, skip: options.skip ?? (options.nodesReachEachOther ? undefined : 'nodes of this provisioner have no shared network') }, async (t) => {
    const { p, id } = await session(t);
    const r = await p.exec(id, 'node1', 'getent hosts node2 && ping -c1 -W2 node2 >/dev/null && echo reached');
    assert.equal(r.exitCode, 0, r.output);
    assert.match(r.output, /reached/);
  });

  test(`${name}: sessions are isolated from each other`, opts, async (t) => {
    const a = await session(t, ['node1']);
    const b = await session(t, ['node1']);
    await a.p.exec(a.id, 'node1', 'echo secret > ~/a-only.txt');
    const r = await b.p.exec(b.id, 'node1', 'cat ~/a-only.txt');
    assert.notEqual(r.exitCode, 0);
    await assert.rejects(a.p.exec(a.id, 'node9', 'true'), NodeNotFoundError);
    const ps = await b.p.exec(b.id, 'node1', 'ps -e --no-headers | wc -l');
    assert.ok(Number(ps.output.trim()) < 20, `session b sees only its own processes: ${ps.output}`);
  });

  test(`${name}: listSessions, isNodeAlive, destroySession (idempotent)`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    assert.ok((await p.listSessions()).includes(id));
    assert.equal(await p.isNodeAlive(id, 'node1'), true);
    assert.equal(await p.isNodeAlive(id, 'nope'), false);
    await p.destroySession(id);
    await p.destroySession(id);
    assert.ok(!(await p.listSessions()).includes(id));
    assert.equal(await p.isNodeAlive(id, 'node1'), false);
    await assert.rejects(p.exec(id, 'node1', 'true'), NodeNotFoundError);
  });
}

export function collect(term: Terminal) {
  let text = '';
  term.onData((chunk) => (text += Buffer.from(chunk).toString('utf8')));
  return {
    text: () => text,
    async waitFor(pattern: RegExp, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (Date.now() > until) throw new Error(`terminal never showed ${pattern}; it showed:\n${text.slice(-2000)}`);
        await delay(20);
      }
    },
  };
}

function delay(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
