import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareDpkgVersions } from './dpkg-version';

// [a, b, compare(a, b)] — the orderings deb-version(7) documents, and dpkg's own test cases.
const VECTORS: [string, string, -1 | 0 | 1][] = [
  ['1.0', '1.0', 0],
  ['1.0', '1.0-0', 0],
  ['0:1.0', '1.0', 0],
  ['1:0.1', '2.0', 1],
  ['1.0~rc1', '1.0', -1],
  ['1.0~~', '1.0~', -1],
  ['1.0~', '1.0', -1],
  ['1.0', '1.0a', -1],
  ['1.0a', '1.0+', -1],
  ['1.0+', '1.0.1', -1],
  ['1.2', '1.10', -1],
  ['1.002', '1.2', 0],
  ['2.36-9+deb12u4', '2.36-9+deb12u14', -1],
  ['1.2.13.dfsg-1', '1.2.13.dfsg-1+b1', -1],
  ['3.0.11-1~deb12u2', '3.0.11-1', -1],
  ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12', -1],
  ['1:9.2', '2:0.1', -1],
];

test('dpkg version ordering matches deb-version(7) on the vectors', () => {
  for (const [a, b, want] of VECTORS) {
    assert.equal(compareDpkgVersions(a, b), want, `${a} vs ${b}`);
    assert.equal(compareDpkgVersions(b, a), (-want || 0) as -1 | 0 | 1, `${b} vs ${a}`);
  }
});
