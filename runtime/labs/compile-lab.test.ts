/**
 * The lab compiler end to end: mdx-bundler output that getMDXComponent renders
 * with stand-ins for the player's components, hidden scripts absent from the
 * bundle, errors reported at their line in the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { getMDXComponent } from 'mdx-bundler/client';
import { compileLab } from './compile-lab';
import { LabError, type CommandProps, type StepProps, type VarProps } from './lab-types';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** Player stand-ins that show every prop they get. */
const components = {
  Step: ({ id, title, index, hasCheck, autoCheck, children }: StepProps) =>
    createElement('section', { 'data-id': id, 'data-index': index, 'data-check': String(hasCheck), 'data-auto': String(autoCheck) }, createElement('h2', null, title), children as ReactNode),
  Command: ({ node, mode, interrupt, lang, code }: CommandProps) =>
    createElement('pre', { 'data-node': node, 'data-mode': mode, 'data-interrupt': String(Boolean(interrupt)), 'data-lang': lang }, code),
  Var: ({ name }: VarProps) => createElement('var', null, name),
};

function render(code: string): string {
  const Content = getMDXComponent(code);
  return renderToStaticMarkup(createElement(Content, { components: components as never }));
}

test('a compiled lab renders: steps with their props, commands with their text, variables', async () => {
  const lab = await compileLab(FIXTURES, 'good');
  assert.equal(lab.meta.id, 'good');
  assert.deepEqual(lab.steps.map((s) => s.id), ['first', 'second']);
  const html = render(lab.code);
  assert.match(html, /<section data-id="first" data-index="0" data-check="true" data-auto="true"><h2>First step: a &lt; b &amp; \{c\}<\/h2>/);
  assert.match(html, /<section data-id="second" data-index="1" data-check="true" data-auto="false"><h2>Second step<\/h2>/);
  assert.ok(html.includes(
    '<pre data-node="manager1" data-mode="run" data-interrupt="true" data-lang="bash">echo &quot;{{color}}&quot; &lt;tag&gt; {braces} `backticks` &amp;&amp; docker inspect -f &#x27;{{.Name}}{{end}}&#x27; x</pre>',
  ), html);
  assert.ok(html.includes('<pre data-mode="copy" data-interrupt="false" data-lang="sh">ls ~</pre>'), html);
  assert.ok(html.includes('<pre data-node="worker1" data-mode="run" data-interrupt="false" data-lang="bash">cat ~/x</pre>'), 'a run block inside a list item');
  assert.match(html, /<pre><code>a plain block, shown as written\n?<\/code><\/pre>/);
  assert.match(html, /Intro on <var>hostname.manager1<\/var>/);
  assert.match(html, /<code>\{\{color\}\}<\/code>/);
  assert.match(html, /Between the steps: text to read\./);
});

test('hidden scripts are nowhere in the bundle the browser gets', async () => {
  const lab = await compileLab(FIXTURES, 'good');
  for (const hidden of ['SECRET-CHECK-HINT', 'echo prepared', 'touch ~/x', '{{port}}']) {
    assert.ok(!lab.code.includes(hidden), `${hidden} leaked into the bundle`);
  }
});

test('errors are LabErrors naming the file and the line', async () => {
  await assert.rejects(compileLab(FIXTURES, 'mdx-error'), (err: unknown) => {
    assert.ok(err instanceof LabError);
    assert.equal(err.issues.length, 1);
    assert.match(`${err.issues[0].file}:${err.issues[0].line}`, /fixtures\/mdx-error\/lab\.mdx:21$/);
    return true;
  });
  await assert.rejects(compileLab(FIXTURES, 'bad-steps'), (err: unknown) => err instanceof LabError && err.issues.length === 18);
  await assert.rejects(compileLab(FIXTURES, 'nope'), (err: unknown) => err instanceof LabError && /no lab nope/.test(err.message));
  await assert.rejects(compileLab(FIXTURES, '../fixtures/good'), LabError);
});

test('a src= symlink that leads out of the lab folder is refused', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-compile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(FIXTURES, 'good'), path.join(dir, 'good'), { recursive: true });
  writeFileSync(path.join(dir, 'outside.sh'), 'echo outside\n');
  rmSync(path.join(dir, 'good', 'scripts', 'solve-first.sh'));
  symlinkSync(path.join(dir, 'outside.sh'), path.join(dir, 'good', 'scripts', 'solve-first.sh'));
  await assert.rejects(compileLab(dir, 'good'), /39: script scripts\/solve-first\.sh does not exist in the lab folder/);
});
