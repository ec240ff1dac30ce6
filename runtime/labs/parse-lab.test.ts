import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLab } from './parse-lab';

const FRONT = `---
id: demo
title: Demo
summary: S
difficulty: beginner
duration: 1h
nodes:
  - name: a
  - name: b
variables:
  color: blue
---
`;

const opts = (scripts: Record<string, string> = {}) => ({ id: 'demo', file: 'labs/demo/lab.mdx', readScript: (p: string) => scripts[p] ?? null });
const messages = (src: string, o = opts()) => parseLab(src, o).issues.map((i) => `${i.line}: ${i.message}`);

test('a good lab: meta, steps, scripts with origins, hidden scripts, Command elements', () => {
  const src = `${FRONT}
Intro text.

<Step id="first" title="First step" auto>

\`\`\`bash run node=a interrupt
echo "{{color}}" <tag> {braces}
\`\`\`

\`\`\`sh copy
ls
\`\`\`

\`\`\`bash check node=b
test -f ~/x || { echo "x missing"; exit 1; }
\`\`\`

\`\`\`bash solve node=b src=solve.sh
\`\`\`

\`\`\`
plain block
\`\`\`

</Step>
`;
  const parsed = parseLab(src, opts({ 'solve.sh': 'touch ~/x\n' }));
  assert.deepEqual(parsed.issues, []);
  assert.equal(parsed.meta?.durationMinutes, 60);
  assert.equal(parsed.meta?.engine, 'docker');
  assert.deepEqual(parsed.meta?.variables, { color: 'blue' });
  const [step] = parsed.steps;
  assert.equal(step.id, 'first');
  assert.equal(step.autoCheck, true);
  assert.deepEqual(step.checks.map((c) => [c.node, c.origin]), [['b', 'labs/demo/lab.mdx:26']]);
  assert.deepEqual(step.solves.map((c) => [c.source, c.origin]), [['touch ~/x\n', 'labs/demo/solve.sh']]);
  assert.ok(!parsed.body.includes('x missing'), 'check scripts are not shown to the learner');
  assert.match(parsed.body, /<Command node="a" mode="run" interrupt=\{true\} lang="bash" code=\{"echo \\"\{\{color\}\}\\" <tag> \{braces\}"\} \/>/);
  assert.match(parsed.body, /<Command mode="copy" lang="sh" code=\{"ls"\} \/>/);
  assert.match(parsed.body, /<Step id="first" title="First step" index=\{0\} hasCheck=\{true\} autoCheck=\{true\}>/);
  assert.match(parsed.body, /```\nplain block\n```/);
});

test('front matter errors name the field and its line', () => {
  const src = FRONT.replace('difficulty: beginner', 'difficulty: expert').replace('duration: 1h', 'duration: soon');
  assert.deepEqual(messages(`${src}\n<Step id="s" title="S">\n</Step>\n`), [
    '5: front matter difficulty: Invalid option: expected one of "beginner"|"intermediate"|"advanced"',
    '6: front matter duration: use minutes like 15m or hours like 1h',
    '14: step "s" has no check: every step needs a check block that inspects state',
  ]);
});

test('id must match the folder; node names unique; images known', () => {
  const src = FRONT.replace('id: demo', 'id: other').replace('  - name: b', '  - name: a\n    image: ubuntu');
  const m = messages(`${src}<Step id="s" title="S">\n</Step>\n`);
  assert.ok(m.includes('2: front matter id "other" must match the folder name "demo"'), m.join('\n'));
  assert.ok(m.includes('9: duplicate node name "a"'), m.join('\n'));
  assert.ok(m.includes('10: unknown image "ubuntu": known images are node'), m.join('\n'));
});

test('step problems: unknown node, missing check/solve, run without node, missing src, duplicates, unclosed', () => {
  const body = `
<Step id="one" title="One">

\`\`\`bash run
ls
\`\`\`

\`\`\`bash check node=zz
true
\`\`\`

</Step>

<Step id="one" title="Again">

\`\`\`bash check node=a src=missing.sh
\`\`\`

\`\`\`bash solve node=a
true
\`\`\`

</Step>

<Step id="three" title="Never closed">
`;
  assert.deepEqual(messages(FRONT + body), [
    '16: run block needs node=<name>: this lab has several nodes',
    '20: unknown node "zz": this lab\'s nodes are a, b',
    '14: step "one" has no solve block: the regression suite needs one',
    '26: duplicate step id "one"',
    '28: script missing.sh does not exist in the lab folder',
    '37: <Step id="three"> is never closed with </Step>',
    '37: step "three" has no check: every step needs a check block that inspects state',
  ]);
});

test('no front matter, or a lab without steps', () => {
  assert.deepEqual(messages('# hello\n'), ['1: a lab starts with front matter between --- lines']);
  assert.deepEqual(messages(`${FRONT}\njust text\n`), ['13: a lab needs at least one <Step>']);
  assert.deepEqual(messages('---\nid: [unclosed\n---\n').length, 1);
});

test('registry labs need docker and leave the name dtr to the registry', () => {
  const src = FRONT.replace('  - name: b', '  - name: dtr').replace('variables:', 'engine: none\nregistry: true\nvariables:');
  const m = messages(`${src}<Step id="s" title="S">\n</Step>\n`);
  assert.ok(m.some((x) => /registry: true needs engine: docker/.test(x)), m.join('\n'));
  assert.ok(m.some((x) => /node name "dtr" is taken/.test(x)), m.join('\n'));
});
