import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Demuxer } from './demux';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

test('frames split across chunks reassemble in order, both streams', () => {
  const got: string[] = [];
  const d = new Demuxer((p, s) => got.push(`${s}:${p}`));
  const all = Buffer.concat([frame(1, 'out1\n'), frame(2, 'err\n'), frame(1, 'out2\n')]);
  for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3));
  assert.deepEqual(got, ['stdout:out1\n', 'stderr:err\n', 'stdout:out2\n']);
});

test('stdin frames (type 0) and empty payloads are ignored', () => {
  const got: string[] = [];
  const d = new Demuxer((p) => got.push(p.toString()));
  d.push(Buffer.concat([frame(0, 'x'), frame(1, ''), frame(1, 'y')]));
  assert.deepEqual(got, ['', 'y']);
});
