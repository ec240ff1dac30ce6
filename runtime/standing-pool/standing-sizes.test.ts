import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLabCatalog } from '../labs/lab-catalog';
import { standingSizes } from './standing-sizes';

const lab = (id: string, extra: string, engine = 'none') => `---\nid: ${id}\ntitle: T\nsummary: S\ndifficulty: beginner\nduration: 5m\nengine: ${engine}\nnodes:\n  - name: n1\n${extra}---\n\n<Step id="one" title="One">\n\n\`\`\`bash check node=n1\ntrue\n\`\`\`\n\n\`\`\`bash solve node=n1\ntrue\n\`\`\`\n\n</Step>\n`;

test('sizes come from the labs\' pool:, the server\'s overrides win, labs that cannot run here have none', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-sizes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [id, text] of [['asks', lab('asks', 'pool: 2\n')], ['quiet', lab('quiet', '')], ['docker', lab('docker', 'pool: 3\n', 'docker')]]) {
    mkdirSync(path.join(dir, id));
    writeFileSync(path.join(dir, id, 'lab.mdx'), text);
  }
  const labs = createLabCatalog({ labsDir: dir, engine: { docker: false, local: true } });
  assert.deepEqual(await standingSizes(labs, []), [{ labId: 'asks', size: 2 }], 'the Docker lab cannot run on this server');
  assert.deepEqual(await standingSizes(labs, ['asks=0', 'quiet=1']), [{ labId: 'quiet', size: 1 }]);
});
