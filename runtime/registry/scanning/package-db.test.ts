import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { alpineBranch, detectDistro, parseApkInstalled, parseDpkgStatus } from './package-db';
import { ALPINE_FIXTURES, apkInstalledDb } from '../../images/fixtures/alpine-fixture';

test('apk database: name, version, origin per stanza', () => {
  const pkgs = parseApkInstalled(apkInstalledDb(ALPINE_FIXTURES['3.3'].packages));
  assert.equal(pkgs.length, ALPINE_FIXTURES['3.3'].packages.length);
  assert.deepEqual(pkgs.find((p) => p.name === 'libssl1.0'), { format: 'apk', name: 'libssl1.0', version: '1.0.2g-r0', source: 'openssl', sourceVersion: '1.0.2g-r0' });
  assert.deepEqual(parseApkInstalled('C:Q1x=\nP:zlib\nV:1.2.11-r0\n\n'), [{ format: 'apk', name: 'zlib', version: '1.2.11-r0', source: 'zlib', sourceVersion: '1.2.11-r0' }]);
});

test('dpkg status: installed only, source with and without version, continuation lines', () => {
  const status = [
    'Package: libc6', 'Status: install ok installed', 'Source: glibc', 'Version: 2.36-9+deb12u4', 'Description: GNU C Library', ' continues here', '',
    'Package: libssl3', 'Status: install ok installed', 'Source: openssl (3.0.11-1~deb12u2)', 'Version: 3.0.11-1~deb12u2+b1', '',
    'Package: gone', 'Status: deinstall ok config-files', 'Version: 1.0', '',
  ].join('\n');
  assert.deepEqual(parseDpkgStatus(status), [
    { format: 'dpkg', name: 'libc6', version: '2.36-9+deb12u4', source: 'glibc', sourceVersion: '2.36-9+deb12u4' },
    { format: 'dpkg', name: 'libssl3', version: '3.0.11-1~deb12u2+b1', source: 'openssl', sourceVersion: '3.0.11-1~deb12u2' },
  ]);
});

test('the host\'s real dpkg database parses', { skip: existsSync('/var/lib/dpkg/status') ? undefined : 'no dpkg here' }, () => {
  const pkgs = parseDpkgStatus(readFileSync('/var/lib/dpkg/status', 'utf8'));
  assert.ok(pkgs.length > 50);
  assert.ok(pkgs.some((p) => p.name === 'libc6' && p.source === 'glibc'));
});

test('distribution from os-release or alpine-release', () => {
  assert.deepEqual(detectDistro({ osRelease: 'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' }),
    { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
  assert.deepEqual(detectDistro({ alpineRelease: '3.6.2\n' }), { id: 'alpine', versionId: '3.6.2', prettyName: 'Alpine Linux v3.6.2' });
  assert.equal(detectDistro({}), null);
  assert.equal(alpineBranch('3.6.2'), 'v3.6');
});
