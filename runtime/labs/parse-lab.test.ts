/**
 * The lab parser on fixture labs (runtime/labs/fixtures/<name>/lab.mdx): a
 * good lab's model and rewritten tree, and every kind of problem the linter
 * reports, each at its line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLab } from './parse-lab';
import type { MdNode } from './mdast';
import { parseBlockInfo } from './parse-block-info';
import { unknownVariables } from './lab-variables';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** Parses a fixture as if it were labs/<name>/lab.mdx. */
function parseFixture(name: string) {
  const dir = path.join(FIXTURES, name);
  return parseLab(readFileSync(path.join(dir, 'lab.mdx'), 'utf8'), {
    id: name,
    file: `labs/${name}/lab.mdx`,
    readScript: (p) => (existsSync(path.join(dir, p)) ? readFileSync(path.join(dir, p), 'utf8') : null),
  });
}

const problems = (name: string) => parseFixture(name).issues.map((i) => `${i.line}: ${i.message}`);

function allNodes(node: MdNode): MdNode[] {
  return [node, ...(node.children ?? []).flatMap(allNodes)];
}

const attributes = (node: MdNode) => Object.fromEntries((node.attributes ?? []).map((a) => [a.name, typeof a.value === 'object' && a.value ? a.value.value : a.value]));

test('a good lab: front matter with defaults, steps, scripts with their origins', () => {
  const parsed = parseFixture('good');
  assert.deepEqual(parsed.issues, []);
  assert.deepEqual(parsed.meta, {
    id: 'good', title: 'A good lab', summary: 'Every feature of the format, used correctly.', difficulty: 'intermediate',
    durationMinutes: 90, topics: ['testing'], engine: 'docker', registry: false,
    nodes: [{ name: 'manager1', image: 'node', role: 'first' }, { name: 'worker1', image: 'node' }],
    variables: { color: 'blue', port: '8080' },
  });
  assert.deepEqual(parsed.steps.map((s) => [s.id, s.title, s.index, s.autoCheck]), [
    ['first', 'First step: a < b & {c}', 0, true],
    ['second', 'Second step', 1, false],
  ]);
  const [first, second] = parsed.steps;
  assert.deepEqual(first.checks, [{ kind: 'check', node: 'worker1', source: 'test -f ~/x || { echo "SECRET-CHECK-HINT: ~/x is missing"; exit 1; }', origin: 'labs/good/lab.mdx:35' }]);
  assert.deepEqual(first.solves, [{ kind: 'solve', node: 'worker1', source: 'touch ~/x\n', origin: 'labs/good/scripts/solve-first.sh' }]);
  assert.deepEqual(first.setups.map((s) => [s.node, s.source]), [['manager1', 'echo prepared > ~/prepared']]);
  assert.deepEqual(second.checks.map((s) => [s.node, s.origin]), [['manager1', 'labs/good/lab.mdx:58']]);
});

test('a good lab: run and copy blocks become <Command>, scripts leave the tree, steps get their props', () => {
  const { tree } = parseFixture('good');
  assert.ok(tree);
  const nodes = allNodes(tree);
  const commands = nodes.filter((n) => n.name === 'Command').map(attributes);
  assert.deepEqual(commands, [
    { node: 'manager1', mode: 'run', interrupt: null, lang: 'bash', code: 'echo "{{color}}" <tag> {braces} `backticks` && docker inspect -f \'{{.Name}}{{end}}\' x' },
    { mode: 'copy', lang: 'sh', code: 'ls ~' },
    { node: 'worker1', mode: 'run', lang: 'bash', code: 'cat ~/x' },
  ]);
  assert.deepEqual(nodes.filter((n) => n.type === 'code').map((n) => n.value), ['a plain block, shown as written'], 'only the plain block stays a code block');
  assert.ok(!JSON.stringify(tree).includes('SECRET-CHECK-HINT'), 'check scripts are not in the learner tree');
  assert.ok(!JSON.stringify(tree).includes('echo prepared'), 'setup scripts are not in the learner tree');
  assert.deepEqual(nodes.filter((n) => n.name === 'Step').map(attributes), [
    { id: 'first', title: 'First step: a < b & {c}', index: '0', hasCheck: 'true', autoCheck: 'true' },
    { id: 'second', title: 'Second step', index: '1', hasCheck: 'true', autoCheck: 'false' },
  ]);
});

test('front matter: each bad field at its own line', () => {
  assert.deepEqual(problems('bad-front-matter'), [
    '1: front matter title: is required',
    '2: front matter id: must be lowercase letters, digits and dashes',
    '4: front matter difficulty: Invalid option: expected one of "beginner"|"intermediate"|"advanced"',
    '5: front matter duration: use minutes like 15m, hours like 1h, or both like 1h30m',
    '6: front matter topics: Invalid input: expected array, received string',
    '7: front matter engine: Invalid option: expected one of "none"|"docker"',
    '9: front matter nodes.0.name: must be lowercase letters, digits and dashes, starting with a letter (at most 31)',
    '11: front matter nodes.0.cpu: unknown field (known: name, image, role, trustRegistry)',
    '12: front matter registry: Invalid input: expected boolean, received string',
    '14: front matter variables.1st: variable names are letters, digits, _ and -, starting with a letter',
    '15: front matter colour: unknown field (known: id, title, summary, difficulty, duration, topics, engine, nodes, registry, pool, variables)',
  ]);
});

test('front matter: id must match the folder, node names unique, images known, registry rules', () => {
  assert.deepEqual(problems('bad-nodes'), [
    '2: front matter id "not-the-folder" must match the folder name "bad-nodes"',
    '8: registry: true needs engine: docker (the bundled registry runs as a container)',
    '11: duplicate node name "node1"',
    '12: node name "dtr" is taken by the bundled registry in labs with registry: true',
    '13: unknown image "ubuntu": known images are node',
  ]);
});

test('steps: every mistake at its line', () => {
  const noCheck = "has no check block: every step needs a check that inspects the nodes' state (text to read belongs outside <Step>)";
  const vars = '(this lab has color, session.id, hostname.a, hostname.b)';
  assert.deepEqual(problems('bad-steps'), [
    '14: labs cannot import or export: use Markdown and the built-in components (Step, Var)',
    '16: a check block must be inside a <Step>',
    '20: step "one" has no solve block: the regression suite needs one to prove the check can pass',
    '22: run block needs node=<name>: this lab has several nodes',
    '26: unknown node "zz": this lab\'s nodes are a, b',
    '32: duplicate step id "one"',
    `32: step "one" ${noCheck}`,
    '34: script missing.sh does not exist in the lab folder',
    '37: code block info "chek node=a" is not understood: write `bash run node=<name>`, copy, check, solve or setup',
    '41: src=../../escape.sh must name a file inside the lab folder',
    '46: <Step> has no attribute nocheck (it takes id, title and auto)',
    `46: step "three" ${noCheck}`,
    '48: {{colour}} in prose is a JavaScript expression in MDX: write <Var name="colour" /> (or put it in `code`)',
    `48: unknown variable <Var name="hostname.c" /> ${vars}`,
    '48: unknown component <Note>: labs can use Step, Var and plain HTML',
    `50: unknown variable {{colr}} ${vars}`,
    '58: check block is empty',
    '61: <Step> inside <Step id="four">: close the first one with </Step>',
  ]);
});

test('MDX syntax: unclosed Step, broken expression, JavaScript in prose — at the line in the file', () => {
  assert.deepEqual(problems('unclosed-step'), ['11: <Step> is never closed: add </Step> on a line of its own']);
  assert.deepEqual(problems('mdx-error'), ['21: MDX: Unexpected end of file in expression, expected a corresponding closing brace for `{`']);
  assert.deepEqual(problems('bad-expression'), [
    '15: {2 + 2} is a JavaScript expression: labs hold none (write \\{ for a literal brace, {/* … */} for a comment)',
    '15: <img> has a {…} attribute: labs hold no JavaScript, use plain strings in quotes',
  ]);
  // A dotted variable does not even parse as JavaScript: the hint still names the fix.
  const dotted = '---\nid: x\ntitle: X\nsummary: S\ndifficulty: beginner\nduration: 5m\nnodes:\n  - name: node1\n---\n\nOn {{hostname.node1}}.\n';
  assert.deepEqual(parseLab(dotted, { id: 'x', file: 'labs/x/lab.mdx', readScript: () => null }).issues.map((i) => `${i.line}: ${i.message}`), [
    '11: {{hostname.node1}} in prose is a JavaScript expression in MDX: write <Var name="hostname.node1" /> (or put it in `code`)',
  ]);
});

test('a lab without steps, or without front matter', () => {
  assert.deepEqual(problems('no-steps'), ['10: a lab needs at least one <Step id="…" title="…">']);
  const opts = { id: 'x', file: 'labs/x/lab.mdx', readScript: () => null };
  assert.deepEqual(parseLab('# hello\n', opts).issues.map((i) => `${i.line}: ${i.message}`), ['1: a lab starts with front matter between --- lines']);
  assert.deepEqual(parseLab('---\nid: x\n', opts).issues.map((i) => `${i.line}: ${i.message}`), ['1: front matter is not closed with ---']);
  assert.match(parseLab('---\nid: [unclosed\n---\n', opts).issues[0].message, /^front matter: /);
});

test('code block info strings', () => {
  assert.deepEqual(parseBlockInfo('bash', 'run node=n1 interrupt'), { lang: 'bash', kind: 'run', node: 'n1', interrupt: true, problems: [] });
  assert.deepEqual(parseBlockInfo('check', 'node=n1 src=c.sh'), { kind: 'check', node: 'n1', src: 'c.sh', interrupt: false, problems: [] });
  assert.deepEqual(parseBlockInfo('bash', null), { lang: 'bash', interrupt: false, problems: [] });
  assert.deepEqual(parseBlockInfo('bash', 'copy interrupt src=x').problems, ['interrupt only applies to run blocks, not copy', 'src= is only for check, solve and setup blocks, not copy']);
  assert.deepEqual(parseBlockInfo('bash', 'run check').problems, ['a code block has one kind, this one says run and check']);
  assert.deepEqual(parseBlockInfo('bash', 'run nod=x').problems, ['unknown word "nod=x" in a run block (expected node=<name>, src=<file>, interrupt)']);
});

test('variables: Go templates are not variables, misspelt names are found', () => {
  const known = ['color', 'hostname.node1'];
  assert.deepEqual(unknownVariables("docker inspect -f '{{.Name}} {{ index .X 0 }}{{end}}' {{ color }} {{hostname.node1}}", known), []);
  assert.deepEqual(unknownVariables('{{colour}} {{hostname.node2}} {{colour}}', known), ['colour', 'hostname.node2']);
});

test('registry-check blocks: kept in their step, validated with line numbers, only in registry labs', () => {
  const lab = (registry: boolean, check: string) => `---
id: rc
title: Registry checks
summary: Typed checks.
difficulty: beginner
duration: 5m
registry: ${registry}
nodes:
  - name: node1
---

<Step id="one" title="One">

\`\`\`yaml registry-check
${check}
\`\`\`

\`\`\`bash solve node=node1
true
\`\`\`

</Step>
`;
  const parse = (registry: boolean, check: string) => parseLab(lab(registry, check), { id: 'rc', file: 'labs/rc/lab.mdx', readScript: () => null });
  const good = parse(true, '- repository: "{{registry.username}}/alpine"\n  immutableTags: true');
  assert.deepEqual(good.issues, []);
  assert.equal(good.steps[0].registryChecks.length, 1);
  assert.equal(good.steps[0].registryChecks[0].origin, 'labs/rc/lab.mdx:14');
  assert.deepEqual(parse(true, '- repository: admin').issues.map((i) => `${i.line}: ${i.message}`), ['14: check 1 (repository): repository: write namespace/repository']);
  assert.deepEqual(parse(false, '- user: moby').issues.map((i) => `${i.line}: ${i.message}`), ['14: a registry-check needs the bundled registry: set registry: true']);
  assert.deepEqual(parseBlockInfo('yaml', 'registry-check node=node1').problems, ['a registry-check runs against the registry, not in a node: leave node= out']);
});

test('front matter: a standing pool is a small whole number, linted at its line', async () => {
  const { parseFrontMatter } = await import('./parse-front-matter');
  const lab = (pool: string) => ['---', 'id: p', 'title: P', 'summary: S', 'difficulty: beginner', 'duration: 5m', 'engine: none', 'nodes:', '  - name: n1', `pool: ${pool}`, '---'];
  assert.equal(parseFrontMatter(lab('2'), { id: 'p', file: 'p.mdx' }).meta?.pool, 2);
  assert.equal(parseFrontMatter(lab('0'), { id: 'p', file: 'p.mdx' }).meta?.pool, undefined, 'off: no pool at all');
  for (const bad of ['11', '-1', '1.5', 'lots']) {
    const { meta, issues } = parseFrontMatter(lab(bad), { id: 'p', file: 'p.mdx' });
    assert.equal(meta, null, bad);
    assert.equal(issues[0]?.line, 10, `pool: ${bad} is reported at its own line`);
    assert.match(issues[0].message, /^front matter pool: /);
  }
});
