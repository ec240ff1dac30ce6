import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareApkVersions } from './apk-version';

// [a, b, expected compare(a, b)] — apk-tools' own ordering rules.
const VECTORS: [string, string, -1 | 0 | 1][] = [
  ['1.0', '1.0', 0],
  ['1.0', '1.0.1', -1],
  ['1.2', '1.10', -1],
  ['1.1.12-r5', '1.1.12-r6', -1],
  ['1.1.12-r10', '1.1.12-r9', 1],
  ['1.0.2g-r0', '1.0.2h-r0', -1],
  ['1.0.2h', '1.0.2h-r0', 0],
  ['2.0_alpha1', '2.0_beta1', -1],
  ['2.0_beta9', '2.0_pre1', -1],
  ['2.0_pre1', '2.0_rc1', -1],
  ['2.0_rc9', '2.0', -1],
  ['2.0', '2.0_cvs', -1],
  ['2.0_cvs', '2.0_svn', -1],
  ['2.0_svn', '2.0_git', -1],
  ['2.0_git', '2.0_hg', -1],
  ['2.0_hg', '2.0_p1', -1],
  ['9.10.4_p8-r0', '9.10.4_p8-r1', -1],
  ['9.10.4_p8', '9.10.4_p10', -1],
  ['6.0_p20170701-r0', '6.0-r7', 1],
  ['1.24.1-r7', '1.24.2-r1', -1],
  ['2.5.5-r0', '2.5.3-r1', 1],
];

test('apk version ordering matches apk-tools on the vectors', () => {
  for (const [a, b, want] of VECTORS) {
    assert.equal(compareApkVersions(a, b), want, `${a} vs ${b}`);
    assert.equal(compareApkVersions(b, a), -want || 0, `${b} vs ${a}`);
  }
});
