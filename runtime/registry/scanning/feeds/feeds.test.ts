import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { feedSuite } from './feed-suite';
import { alpineSecdbFeed } from './alpine-secdb';
import { osvFeed } from './osv';

const secdbDocs = {
  v36: { distroversion: 'v3.6', reponame: 'main', packages: [
    { pkg: { name: 'musl', secfixes: { '1.1.16-r14': ['CVE-2017-15650'] } } },
    { pkg: { name: 'busybox', secfixes: { '1.26.2-r9': ['CVE-2017-16544'], '0': ['CVE-2000-0001'] } } },
  ] },
  v33: { distroversion: 'v3.3', reponame: 'main', packages: [{ pkg: { name: 'musl', secfixes: { '1.1.12-r6': ['CVE-2016-8859'] } } }] },
};

const osvRecords = [
  { id: 'ALPINE-CVE-2017-15650', aliases: ['CVE-2017-15650'], affected: [{ package: { ecosystem: 'Alpine:v3.6', name: 'musl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.16-r14' }] }] }] },
  { id: 'CVE-2017-16544', affected: [{ package: { ecosystem: 'Alpine:v3.6', name: 'busybox' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.26.2-r9' }] }] }] },
  { id: 'CVE-2016-8859', database_specific: { severity: 'High' }, affected: [{ package: { ecosystem: 'Alpine:v3.3', name: 'musl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.12-r6' }] }] }] },
];

feedSuite('alpine-secdb (YAML)', () => alpineSecdbFeed([stringify(secdbDocs.v36), stringify(secdbDocs.v33)]));
feedSuite('alpine-secdb (JSON)', () => alpineSecdbFeed([JSON.stringify(secdbDocs.v36), JSON.stringify(secdbDocs.v33)]));
feedSuite('osv (JSON)', () => osvFeed([JSON.stringify(osvRecords)]));

test('the bundled Alpine secdb (v3.3–v3.11) loads whole', () => {
  const root = path.resolve(import.meta.dirname, '../data/alpine-secdb');
  const docs = readdirSync(root).flatMap((b) => readdirSync(path.join(root, b)).map((f) => readFileSync(path.join(root, b, f), 'utf8')));
  const feed = alpineSecdbFeed(docs);
  assert.deepEqual(feed.coverage, ['alpine:v3.10', 'alpine:v3.11', 'alpine:v3.3', 'alpine:v3.4', 'alpine:v3.5', 'alpine:v3.6', 'alpine:v3.7', 'alpine:v3.8', 'alpine:v3.9']);
  assert.ok(feed.advisories({ id: 'alpine', versionId: '3.3.3', prettyName: '' }, 'openssl').length > 10);
});

test('malformed feeds are rejected with the reason', () => {
  assert.throws(() => alpineSecdbFeed(['distroversion: 3.6\npackages: []\n']), /not an Alpine secdb document: distroversion/);
  assert.throws(() => osvFeed(['[{"affected": []}]']), /not an OSV record: id/);
  assert.throws(() => osvFeed(['{nope']), SyntaxError);
});

test('OSV severities map to DTR levels', () => {
  const feed = osvFeed([JSON.stringify(osvRecords)]);
  assert.equal(feed.advisories({ id: 'alpine', versionId: '3.3.1', prettyName: '' }, 'musl')[0].severity, 'critical');
  assert.equal(feed.advisories({ id: 'alpine', versionId: '3.6.0', prettyName: '' }, 'musl')[0].severity, null);
});
