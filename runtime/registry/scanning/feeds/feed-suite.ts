/**
 * The one suite every feed format passes: the same advisories, written in each
 * format, must answer the same questions the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VulnFeed } from './feed';

/** The advisories each format's fixture expresses (see feed formats' tests). */
export const SUITE_FACTS = {
  alpine36: { id: 'alpine', versionId: '3.6.2', prettyName: 'Alpine 3.6' },
  alpine33: { id: 'alpine', versionId: '3.3.3', prettyName: 'Alpine 3.3' },
  // v3.6: musl CVE-2017-15650 fixed in 1.1.16-r14; busybox CVE-2017-16544 fixed in 1.26.2-r9;
  // v3.3: musl CVE-2016-8859 fixed in 1.1.12-r6.
};

export function feedSuite(name: string, make: () => VulnFeed) {
  test(`${name}: advisories by distribution branch and source package`, () => {
    const feed = make();
    const musl36 = feed.advisories(SUITE_FACTS.alpine36, 'musl');
    assert.deepEqual(musl36.map((a) => [a.id, a.fixed]), [['CVE-2017-15650', '1.1.16-r14']]);
    assert.match(musl36[0].url, /CVE-2017-15650/);
    assert.deepEqual(feed.advisories(SUITE_FACTS.alpine36, 'busybox').map((a) => [a.id, a.fixed]), [['CVE-2017-16544', '1.26.2-r9']]);
    assert.deepEqual(feed.advisories(SUITE_FACTS.alpine33, 'musl').map((a) => [a.id, a.fixed]), [['CVE-2016-8859', '1.1.12-r6']]);
    assert.ok(feed.coverage.includes('alpine:v3.6') || feed.coverage.includes('Alpine:v3.6'), feed.coverage.join());
  });

  test(`${name}: unknown packages, branches and distributions have no advisories`, () => {
    const feed = make();
    assert.deepEqual(feed.advisories(SUITE_FACTS.alpine36, 'no-such-package'), []);
    assert.deepEqual(feed.advisories({ id: 'alpine', versionId: '3.99.0', prettyName: '' }, 'musl'), []);
    assert.deepEqual(feed.advisories({ id: 'fedora', versionId: '39', prettyName: '' }, 'musl'), []);
  });
}
