import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccountNameProblem, repositoryNameProblem, repositoryPathProblem, tagNameProblem } from './names';

test('repository names: 2–255 lowercase letters, digits, separators between them', () => {
  for (const ok of ['alpine', 'alpine-dev', 'my_app', 'a1', 'web.frontend']) assert.equal(repositoryNameProblem(ok), null, ok);
  assert.match(repositoryNameProblem('a')!, /2 to 255/);
  assert.match(repositoryNameProblem('x'.repeat(256))!, /2 to 255/);
  assert.match(repositoryNameProblem('Alpine')!, /lowercase/);
  for (const bad of ['-alpine', 'alpine-', 'al pine', 'al/pine', 'al..pine']) assert.ok(repositoryNameProblem(bad), bad);
  assert.equal(repositoryPathProblem('admin/alpine'), null);
  assert.match(repositoryPathProblem('alpine')!, /<namespace>\/<repository>/);
  assert.match(repositoryPathProblem('Admin/alpine')!, /account name/);
});

test('tags: ASCII, at most 128, no leading . or -', () => {
  for (const ok of ['3.6', 'latest', '3.6-stable', 'v1_2', 'A'.repeat(128)]) assert.equal(tagNameProblem(ok), null, ok);
  assert.match(tagNameProblem('A'.repeat(129))!, /1 to 128/);
  assert.match(tagNameProblem('.hidden')!, /must not start/);
  assert.match(tagNameProblem('-x')!, /must not start/);
  assert.match(tagNameProblem('v1:2')!, /only ASCII/);
  assert.match(tagNameProblem('ünï')!, /only ASCII/);
});

test('labdock- account names are reserved for the platform, whatever exists', () => {
  assert.match(newAccountNameProblem('labdock-platform') ?? '', /reserved/);
  assert.match(newAccountNameProblem('labdock-x') ?? '', /reserved/);
  assert.equal(newAccountNameProblem('labdocker'), null);
  assert.match(newAccountNameProblem('Bad') ?? '', /lowercase/);
});
