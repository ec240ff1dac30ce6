/**
 * The registry image's hash covers what the registry node runs, and only
 * that: every source file the bundle reads lies in a hashed folder (else an
 * edit would ship a stale image), and none of the labdock server's side of the
 * registry (runtime/registry-host) is bundled (else editing the console proxy would rebuild it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CONTROL_PLANE_SOURCES, REGISTRY_HOST_DIR, controlPlaneInputs } from '../images/registry-bundle';

test('the bundle reads only hashed folders, and nothing of the server side', async () => {
  const registry = path.dirname(new URL(import.meta.url).pathname);
  const ours = (await controlPlaneInputs()).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
  assert.ok(ours.length > 20);
  for (const file of ours) {
    assert.ok(CONTROL_PLANE_SOURCES.some((dir) => file.startsWith(dir + path.sep)), `${path.relative(registry, file)} is bundled but not in the image's hash`);
  }
  // Two deployment units, two folders: nothing of runtime/registry-host is bundled into the node.
  for (const file of ours) assert.ok(!file.startsWith(REGISTRY_HOST_DIR + path.sep), `${path.relative(registry, file)} is the server's, yet bundled`);
  assert.ok(!CONTROL_PLANE_SOURCES.some((d) => d.startsWith(REGISTRY_HOST_DIR)));
});
