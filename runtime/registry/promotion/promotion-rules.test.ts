import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promotedTag, ruleSchema, rulesHold, type Rule } from './promotion-rules';

const clean = { critical: 0, major: 0, minor: 0, unknown: 0 };
const dirty = { critical: 1, major: 2, minor: 0, unknown: 4 };

test('rules: seed 000\'s policy, every tag operator, every count operator', () => {
  const seed: Rule[] = [{ field: 'tag', operator: 'ends with', values: ['stable'] }, { field: 'vulnerability_all', operator: 'equals', values: ['0'] }];
  assert.equal(rulesHold(seed, { tag: '3.6-stable', summary: clean }), true);
  assert.equal(rulesHold(seed, { tag: '3.3-stable', summary: dirty }), false);
  assert.equal(rulesHold(seed, { tag: '3.6', summary: clean }), false);
  assert.equal(rulesHold(seed, { tag: '3.6-stable', summary: null }), false, 'no scan, no vulnerability verdict');
  const tag = (operator: Rule['operator'], values: string[], t: string) => rulesHold([{ field: 'tag', operator, values } as Rule], { tag: t, summary: null });
  assert.deepEqual(
    [tag('equals', ['a'], 'a'), tag('starts with', ['rel-', 'v'], 'v1'), tag('contains', ['rc'], '1.0-rc1'), tag('one of', ['a', 'b'], 'b'), tag('not one of', ['a'], 'a'), tag('matches', ['\\d+\\.\\d+'], '3.6'), tag('matches', ['\\d+'], '3.6')],
    [true, true, true, true, false, true, false],
  );
  const n = (field: string, operator: string, v: string) => rulesHold([{ field, operator, values: [v] } as Rule], { tag: 'x', summary: dirty });
  assert.deepEqual(
    [n('vulnerability_all', 'equals', '7'), n('vulnerability_critical', 'less than', '1'), n('vulnerability_major', 'less or equal', '2'), n('vulnerability_minor', 'greater than', '0'), n('vulnerability_all', 'greater or equal', '7')],
    [true, false, true, false, true],
  );
});

test('component rules, not equals, and the symbol comparators', () => {
  const parse = (r: unknown) => ruleSchema.parse(r);
  const has = (op: string, values: string[], components: string[] | null) => rulesHold([parse({ field: 'component_name', operator: op, values })], { tag: 'x', summary: clean, components });
  assert.deepEqual([has('one of', ['openssl', 'libressl'], ['musl', 'libressl']), has('not one of', ['openssl'], ['musl', 'busybox']), has('not one of', ['musl'], ['musl']), has('matches', ['lib.*'], ['musl']), has('equals', ['musl'], null)], [true, true, false, false, false]);
  assert.equal(parse({ field: 'vulnerability_critical', operator: '<=', values: ['0'] }).operator, 'less or equal');
  assert.equal(rulesHold([parse({ field: 'vulnerability_all', operator: '!=', values: ['0'] })], { tag: 'x', summary: dirty }), true);
  assert.equal(rulesHold([parse({ field: 'tag', operator: '!=', values: ['latest'] })], { tag: 'latest', summary: null }), false);
});

test('rule schema refuses what cannot be evaluated', () => {
  for (const bad of [
    { field: 'tag', operator: 'ends with', values: [] },
    { field: 'tag', operator: 'matches', values: ['('] },
    { field: 'vulnerability_all', operator: 'equals', values: ['none'] },
    { field: 'vulnerability_all', operator: 'ends with', values: ['0'] },
    { field: 'license', operator: 'equals', values: ['MIT'] },
  ]) assert.equal(ruleSchema.safeParse(bad).success, false, JSON.stringify(bad));
});

test('tag templates', () => {
  assert.equal(promotedTag('%n', '3.6-stable'), '3.6-stable');
  assert.equal(promotedTag('prod-%n-%Y%m%d', '1.0', new Date('2026-11-22T10:00:00Z')), 'prod-1.0-20261122');
  assert.throws(() => promotedTag('-%n', '1'), /invalid tag/);
});
