/**
 * The lab catalog over real folders: availability by engine, broken labs
 * skipped (and logged once), ids that try to leave the folder, recompiling
 * when a lab's files change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLabCatalog } from './lab-catalog';
import { LabError } from './lab-types';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** A labs folder with the good fixture, a copy of it that needs no engine, and a broken lab. */
function labsFolder(t: import('node:test').TestContext) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-catalog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(FIXTURES, 'good'), path.join(dir, 'good'), { recursive: true });
  cpSync(path.join(FIXTURES, 'good'), path.join(dir, 'local'), { recursive: true });
  const local = path.join(dir, 'local', 'lab.mdx');
  writeFileSync(local, readFileSync(local, 'utf8').replace('id: good', 'id: local').replace('topics:', 'engine: none\ntopics:'));
  cpSync(path.join(FIXTURES, 'mdx-error'), path.join(dir, 'broken'), { recursive: true });
  writeFileSync(path.join(dir, 'broken', 'lab.mdx'), readFileSync(path.join(dir, 'broken', 'lab.mdx'), 'utf8').replace('id: mdx-error', 'id: broken'));
  mkdirSync(path.join(dir, 'not-a-lab'));
  return dir;
}

test('list: availability by engine, step counts, broken labs skipped and logged once', async (t) => {
  const dir = labsFolder(t);
  const logs: string[] = [];
  const noDocker = createLabCatalog({ labsDir: dir, engine: { docker: false, local: true }, log: (m) => logs.push(m) });
  const list = await noDocker.list();
  assert.deepEqual(list.map((l) => [l.id, l.stepCount, l.available, l.unavailableReason]), [
    ['good', 2, false, 'needs a Docker engine'],
    ['local', 2, true, undefined],
  ]);
  await noDocker.list();
  assert.equal(logs.length, 1, logs.join('\n'));
  assert.match(logs[0], /lab broken is broken and not listed:\n.*broken\/lab\.mdx:21: MDX: Unexpected end of file/);

  const nothing = createLabCatalog({ labsDir: dir, engine: { docker: false, local: false }, log: () => undefined });
  assert.deepEqual((await nothing.list()).map((l) => l.unavailableReason), ['needs a Docker engine', 'needs bubblewrap or a Docker engine']);
  const docker = createLabCatalog({ labsDir: dir, engine: { docker: true, local: false }, log: () => undefined });
  assert.deepEqual((await docker.list()).map((l) => l.available), [true, true]);
  const missing = createLabCatalog({ labsDir: path.join(dir, 'nope'), engine: { docker: true, local: true } });
  assert.deepEqual(await missing.list(), []);
});

test('get: a compiled lab, null for unknown ids and ids that leave the folder, LabError for a broken lab', async (t) => {
  const dir = labsFolder(t);
  writeFileSync(path.join(path.dirname(dir), 'lab.mdx'), 'not a lab');
  t.after(() => rmSync(path.join(path.dirname(dir), 'lab.mdx'), { force: true }));
  const catalog = createLabCatalog({ labsDir: dir, engine: { docker: true, local: true }, log: () => undefined });
  const lab = await catalog.get('good');
  assert.equal(lab?.meta.title, 'A good lab');
  assert.equal(await catalog.get('good'), lab, 'cached while nothing changes');
  for (const id of ['nope', 'not-a-lab', '..', '../good', 'good/..', '/etc', 'good/../../x', '%2e%2e', '', 'Good']) {
    assert.equal(await catalog.get(id), null, id);
  }
  await assert.rejects(catalog.get('broken'), (err: unknown) => err instanceof LabError && /broken\/lab\.mdx:21/.test(err.message));
});

test('get recompiles a lab when its lab.mdx or one of its scripts changes', async (t) => {
  const dir = labsFolder(t);
  const catalog = createLabCatalog({ labsDir: dir, engine: { docker: true, local: true } });
  const before = await catalog.get('good');
  const file = path.join(dir, 'good', 'lab.mdx');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: A good lab', 'title: Renamed lab'));
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  const renamed = await catalog.get('good');
  assert.equal(before?.meta.title, 'A good lab');
  assert.equal(renamed?.meta.title, 'Renamed lab');

  const script = path.join(dir, 'good', 'scripts', 'solve-first.sh');
  writeFileSync(script, 'touch ~/y\n');
  utimesSync(script, new Date(), new Date(Date.now() + 10_000));
  const after = await catalog.get('good');
  assert.equal(after?.steps[0].solves[0].source, 'touch ~/y\n');
});
