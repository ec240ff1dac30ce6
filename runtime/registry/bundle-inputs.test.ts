/**
 * The registry image's hash covers what the registry node runs, and only
 * that: every source file the bundle reads lies in a hashed folder (else an
 * edit would ship a stale image), and none of the labdock server's side of the
 * registry is bundled (else editing the console proxy would rebuild it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CONTROL_PLANE_SOURCES, SERVER_SIDE, controlPlaneInputs } from '../images/registry-bundle';

test('the bundle reads only hashed folders, and nothing of the server side', async () => {
  const registry = path.dirname(new URL(import.meta.url).pathname);
  const ours = (await controlPlaneInputs()).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
  assert.ok(ours.length > 20);
  for (const file of ours) {
    assert.ok(CONTROL_PLANE_SOURCES.some((dir) => file.startsWith(dir + path.sep)), `${path.relative(registry, file)} is bundled but not in the image's hash`);
  }
  for (const name of SERVER_SIDE) assert.ok(!ours.some((f) => f.startsWith(path.join(registry, name))), `${name} is the server's, yet bundled`);
  assert.ok(!CONTROL_PLANE_SOURCES.some((d) => d.endsWith(`${path.sep}console-proxy`)));
});
