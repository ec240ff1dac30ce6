/**
 * The one test suite every Provisioner implementation passes (the way CNCF
 * Distribution runs testsuites.Driver against every storage driver).
 *
 *   provisionerSuite('local', async () => ({ provisioner: createLocalProvisioner({ rootDir }) }), {
 *     nodeImage: 'node', nodesReachEachOther: false, killNode: async (ref) => process.kill(Number(ref), 'SIGKILL'),
 *   });
 *
 * Hostnames deliberately differ from node names (`h-node1` for `node1`), so an
 * implementation that confuses the two fails here rather than in a lab.
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
  /** Nodes share a network and resolve each other's hostnames (false: that test is skipped, saying why). */
  nodesReachEachOther: boolean;
  /** Kill a node's sandbox behind the provisioner's back (the process or container named by NodeInfo.ref). */
  killNode(ref: string): Promise<void>;
  /** Skip everything, with this reason (e.g. no engine on a developer machine). */
  skip?: string;
}

const hostnameOf = (node: string) => `h-${node}`;

export function provisionerSuite(name: string, make: () => Promise<SuiteTarget>, options: SuiteOptions) {
  const opts = { skip: options.skip, timeout: 240_000 };

  /** A session with the given nodes, destroyed after the test whatever happens. */
  async function session(t: TestContext, nodes = ['node1', 'node2'], env?: Record<string, string>) {
    const { provisioner, cleanup } = await make();
    const id = `t${randomBytes(5).toString('hex')}`;
    t.after(async () => {
      await provisioner.destroySession(id);
      await cleanup?.();
    });
    await provisioner.createSession(id);
    const infos = await Promise.all(nodes.map((n) => provisioner.createNode(id, { name: n, hostname: hostnameOf(n), image: options.nodeImage, env })));
    return { p: provisioner, id, infos };
  }

  test(`${name}: nodes have their spec's hostnames; exec returns exit code and interleaved output`, opts, async (t) => {
    const { p, id, infos } = await session(t);
    assert.deepEqual(infos.map((i) => [i.name, i.hostname]), [['node1', 'h-node1'], ['node2', 'h-node2']]);
    assert.deepEqual(await p.exec(id, 'node1', 'hostname'), { exitCode: 0, output: 'h-node1\n' });
    assert.deepEqual(await p.exec(id, 'node2', 'hostname'), { exitCode: 0, output: 'h-node2\n' });
    const r = await p.exec(id, 'node1', 'echo out; sleep 0.05; echo err >&2; sleep 0.05; echo out2; exit 3');
    assert.deepEqual(r, { exitCode: 3, output: 'out\nerr\nout2\n' });
  });

  test(`${name}: exec with stdin, exec env and node env; files persist between execs`, opts, async (t) => {
    const { p, id } = await session(t, ['node1'], { LAB_VAR: 'from-spec' });
    const script = 'echo "$GREETING from script, $LAB_VAR"; echo kept > ~/state.txt; echo tmp > /tmp/state.txt';
    assert.deepEqual(await p.exec(id, 'node1', 'bash -s', { stdin: script, env: { GREETING: 'hello' } }), { exitCode: 0, output: 'hello from script, from-spec\n' });
    assert.deepEqual(await p.exec(id, 'node1', 'cat ~/state.txt /tmp/state.txt'), { exitCode: 0, output: 'kept\ntmp\n' });
    assert.deepEqual(await p.exec(id, 'node1', 'wc -c', { stdin: 'x'.repeat(100_000) }), { exitCode: 0, output: '100000\n' });
  });

  test(`${name}: a flood of output is kept to its end, not held whole`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    const r = await p.exec(id, 'node1', 'yes flood | head -c 8000000; echo; echo the-last-line');
    assert.equal(r.exitCode, 0);
    assert.ok(r.output.length < 1_100_000, `kept ${r.output.length} bytes`);
    assert.match(r.output, /^\[… \d+ earlier bytes not kept\]/);
    assert.match(r.output, /the-last-line\n$/);
  });

  test(`${name}: exec timeout rejects with ExecTimeoutError and leaves nothing running`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    const started = Date.now();
    // The partial output travels with the error (issue #11 item 5: the API answers 504 with it).
    await assert.rejects(p.exec(id, 'node1', 'echo partial-before; sleep 31 & sleep 30; echo never', { timeoutMs: 1000 }),
      (err: unknown) => err instanceof ExecTimeoutError && /partial-before/.test(err.output) && !/never/.test(err.output));
    assert.ok(Date.now() - started < 4000, `rejected after ${Date.now() - started} ms`);
    const ps = await p.exec(id, 'node1', 'ps -eo args | grep -c "^sleep 3[01]" || true');
    assert.equal(ps.output.trim(), '0', 'the command and its background child were killed');
  });

  test(`${name}: terminal echoes, resizes, shares home and /tmp with exec, pauses and resumes`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    await p.exec(id, 'node1', 'echo from-exec > ~/shared.txt; echo tmp-exec > /tmp/shared.txt');
    const term = await p.openTerminal(id, 'node1', { cols: 80, rows: 24 });
    t.after(() => term.close());
    const screen = collect(term);
    term.write('echo hi\r');
    await screen.waitFor(/[\r\n]hi\r?\n/); // the output line, not the echoed " hi"
    assert.match(screen.text(), /@h-node1/, 'the prompt shows user@hostname');
    term.write('cat ~/shared.txt /tmp/shared.txt; echo $((40+2)); echo from-term > /tmp/term.txt\r');
    await screen.waitFor(/from-exec\r?\ntmp-exec\r?\n42/);
    assert.equal((await p.exec(id, 'node1', 'cat /tmp/term.txt')).output, 'from-term\n');

    await term.resize(100, 30);
    term.write('stty size\r');
    await screen.waitFor(/30 100/);

    term.pause();
    const before = screen.text().length;
    term.write('echo paused-$((1+1))\r');
    await delay(400);
    assert.doesNotMatch(screen.text().slice(before), /paused-2/, 'no output while paused');
    term.resume();
    await screen.waitFor(/paused-2/);
  });

  test(`${name}: closing a terminal ends its shell and what runs in it`, opts, async (t) => {
    const { p, id } = await session(t, ['node1']);
    const term = await p.openTerminal(id, 'node1', { cols: 80, rows: 24 });
    const screen = collect(term);
    const exited = new Promise<number | null>((resolve) => term.onExit(resolve));
    term.write('echo started; sleep 777\r');
    await screen.waitFor(/[\r\n]started/);
    term.close();
    term.close();
    await exited;
    await eventually(async () => (await p.exec(id, 'node1', 'ps -eo args | grep -c "^sleep 777" || true')).output.trim() === '0', 'sleep 777 outlived its terminal');
  });

  const reachSkip = options.skip ?? (options.nodesReachEachOther ? undefined : 'nodes of this provisioner have no shared network');
  test(`${name}: nodes of one session reach each other by hostname`, { ...opts, skip: reachSkip }, async (t) => {
    const { p, id } = await session(t);
    const r = await p.exec(id, 'node1', 'getent hosts h-node2 && ping -c1 -W2 h-node2 >/dev/null && echo reached');
    assert.equal(r.exitCode, 0, r.output);
    assert.match(r.output, /reached/);
  });

  test(`${name}: sessions cannot see each other's nodes, files or processes`, opts, async (t) => {
    const a = await session(t, ['node1', 'anode']);
    const b = await session(t, ['node1']);
    await a.p.exec(a.id, 'node1', 'echo secret > ~/a-only.txt; echo secret > /tmp/a-only.txt');
    assert.notEqual((await b.p.exec(b.id, 'node1', 'cat ~/a-only.txt')).exitCode, 0);
    assert.notEqual((await b.p.exec(b.id, 'node1', 'cat /tmp/a-only.txt')).exitCode, 0);
    await assert.rejects(b.p.exec(b.id, 'anode', 'true'), NodeNotFoundError);
    await assert.rejects(b.p.openTerminal(b.id, 'anode', { cols: 80, rows: 24 }), NodeNotFoundError);
    assert.equal(await b.p.isNodeAlive(b.id, 'anode'), false);
    assert.notEqual((await b.p.exec(b.id, 'node1', 'getent hosts h-anode')).exitCode, 0, "a's hostnames do not resolve in b");
    await assert.rejects(a.p.exec(a.id, 'node9', 'true'), NodeNotFoundError);
    const ps = await b.p.exec(b.id, 'node1', 'ps -e --no-headers | wc -l');
    assert.ok(Number(ps.output.trim()) < 20, `session b sees only its own processes: ${ps.output}`);
  });

  test(`${name}: a node killed behind the provisioner's back is reported dead`, opts, async (t) => {
    const { p, id, infos } = await session(t, ['node1']);
    assert.equal(await p.isNodeAlive(id, 'node1'), true);
    await options.killNode(infos[0].ref);
    await eventually(async () => !(await p.isNodeAlive(id, 'node1')), 'isNodeAlive never turned false');
    await assert.rejects(p.exec(id, 'node1', 'true'), NodeNotFoundError);
    assert.ok((await p.listSessions()).includes(id), 'the dead node still holds resources, so the session is listed for sweeping');
  });

  test(`${name}: pause stops every node and keeps its files; resume brings the same nodes back`, opts, async (t) => {
    const { p, id } = await session(t);
    assert.ok(p.pauseSession && p.resumeSession, `${name} must implement pause and resume`);
    await p.exec(id, 'node1', 'echo kept-across-pause > ~/work.txt; sleep 1001 >/dev/null 2>&1 &');
    await p.pauseSession(id);
    assert.equal(await p.isNodeAlive(id, 'node1'), false);
    assert.equal(await p.isNodeAlive(id, 'node2'), false);
    await assert.rejects(p.exec(id, 'node1', 'true'), NodeNotFoundError, 'a paused node runs nothing');
    await assert.rejects(p.openTerminal(id, 'node1', { cols: 80, rows: 24 }), NodeNotFoundError);
    assert.ok((await p.listSessions()).includes(id), 'a paused session still has resources: the orphan sweep must see it as a session');
    assert.equal((await p.exec(id, 'node2', 'true').catch(() => null)), null);
    const started = await p.resumeSession(id);
    assert.deepEqual(started.sort(), ['node1', 'node2']);
    assert.deepEqual(await p.exec(id, 'node1', 'cat ~/work.txt; hostname'), { exitCode: 0, output: 'kept-across-pause\nh-node1\n' });
    assert.equal((await p.exec(id, 'node2', 'hostname')).output, 'h-node2\n');
    // Nothing from before the pause runs on: the background sleep was stopped with its node.
    assert.equal((await p.exec(id, 'node1', "pgrep -f '^sleep 1001' >/dev/null && echo running || echo stopped")).output, 'stopped\n');
    assert.deepEqual(await p.resumeSession(id), [], 'resuming a running session starts nothing');
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
    await assert.rejects(p.openTerminal(id, 'node1', { cols: 80, rows: 24 }), NodeNotFoundError);
  });
}

/** Everything a terminal printed so far, and a way to wait for a pattern in it. */
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

async function eventually(check: () => Promise<boolean>, message: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(message);
    await delay(50);
  }
}

function delay(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
