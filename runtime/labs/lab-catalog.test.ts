import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement, type ReactNode } from 'react';
import { getMDXComponent } from 'mdx-bundler/client';
import { createLabCatalog } from './lab-catalog';
import { lintLabs } from './lint-labs';
import type { CommandProps } from './lab-types';

const repoLabs = path.resolve(import.meta.dirname, '../../labs');

function labsCopy(t: import('node:test').TestContext) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-labs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(repoLabs, dir, { recursive: true });
  return dir;
}

test('the shipped labs lint clean', async () => {
  const report = await lintLabs(repoLabs);
  assert.deepEqual(report.issues, []);
  assert.ok(report.labs.includes('intro') && report.labs.includes('two-nodes'));
});

test('a compiled lab renders with the player components; hidden scripts stay hidden', async () => {
  const catalog = createLabCatalog({ labsDir: repoLabs, engine: { docker: true, local: true } });
  const lab = await catalog.get('intro');
  assert.ok(lab);
  const Component = getMDXComponent(lab.code);
  const html = renderToStaticMarkup(createElement(Component, {
    components: {
      Step: ({ title, children }: { title: string; children?: ReactNode }) => createElement('section', null, createElement('h2', null, title), children),
      Command: ({ code, mode, node }: CommandProps) => createElement('pre', { 'data-mode': mode, 'data-node': node }, code),
      Var: ({ name }: { name: string }) => createElement('var', null, name),
    } as never,
  }));
  assert.match(html, /<h2>Run commands with a click<\/h2>/);
  assert.match(html, /data-mode="run" data-node="node1">mkdir -p ~\/notes &amp;&amp; echo \{\{greeting\}\}/);
  assert.match(html, /<var>hostname.node1<\/var>/);
  assert.ok(!html.includes('does not exist yet'), 'check hints are not in the page');
});

test('catalog: availability, broken labs skipped, ids cannot escape the folder', async (t) => {
  const dir = labsCopy(t);
  mkdirSync(path.join(dir, 'broken'));
  writeFileSync(path.join(dir, 'broken', 'lab.mdx'), '---\nid: broken\n---\n');
  const logs: string[] = [];
  const catalog = createLabCatalog({ labsDir: dir, engine: { docker: false, local: true }, log: (m) => logs.push(m) });
  const list = await catalog.list();
  assert.deepEqual(list.map((l) => [l.id, l.available, l.unavailableReason]), [
    ['intro', true, undefined], ['registry-basics', false, 'needs a Docker engine'], ['two-nodes', false, 'needs a Docker engine'],
  ]);
  assert.match(logs.join('\n'), /skipping lab broken/);
  await assert.rejects(catalog.get('broken'), /broken\/lab\.mdx/);
  assert.equal(await catalog.get('../etc'), null);
  assert.equal(await catalog.get('nope'), null);
});

test('catalog recompiles a lab when its file changes', async (t) => {
  const dir = labsCopy(t);
  const catalog = createLabCatalog({ labsDir: dir, engine: { docker: true, local: true } });
  const before = await catalog.get('intro');
  const file = path.join(dir, 'intro', 'lab.mdx');
  const { readFileSync, utimesSync } = await import('node:fs');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: Your first labdock lab', 'title: Renamed lab'));
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  const after = await catalog.get('intro');
  assert.equal(before?.meta.title, 'Your first labdock lab');
  assert.equal(after?.meta.title, 'Renamed lab');
});
