import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyV2 } from './v2-route';

test('registry API routes map to repositories and actions', () => {
  assert.deepEqual(classifyV2('GET', '/v2/'), { kind: 'base' });
  assert.deepEqual(classifyV2('GET', '/v2/_catalog'), { kind: 'catalog' });
  assert.deepEqual(classifyV2('HEAD', '/v2/admin/alpine/manifests/3.6'), { kind: 'manifest', repository: 'admin/alpine', reference: '3.6', action: 'pull' });
  assert.deepEqual(classifyV2('PUT', '/v2/engineering/barca/manifests/lona'), { kind: 'manifest', repository: 'engineering/barca', reference: 'lona', action: 'push' });
  assert.deepEqual(classifyV2('DELETE', '/v2/admin/alpine/manifests/sha256:abc'), { kind: 'manifest', repository: 'admin/alpine', reference: 'sha256:abc', action: 'delete' });
  assert.deepEqual(classifyV2('GET', '/v2/admin/alpine/blobs/sha256:abc'), { kind: 'blob', repository: 'admin/alpine', reference: 'sha256:abc', action: 'pull' });
  assert.deepEqual(classifyV2('POST', '/v2/admin/alpine/blobs/uploads/'), { kind: 'upload', repository: 'admin/alpine', reference: undefined, action: 'push' });
  assert.deepEqual(classifyV2('PATCH', '/v2/admin/alpine/blobs/uploads/1234-uuid'), { kind: 'upload', repository: 'admin/alpine', reference: '1234-uuid', action: 'push' });
  assert.deepEqual(classifyV2('GET', '/v2/admin/alpine/tags/list'), { kind: 'tags', repository: 'admin/alpine', reference: undefined, action: 'pull' });
  assert.deepEqual(classifyV2('GET', '/v2/Admin/alpine/tags/list'), { kind: 'unknown' });
  assert.deepEqual(classifyV2('GET', '/v2/../etc/passwd'), { kind: 'unknown' });
});
