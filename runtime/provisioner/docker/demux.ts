/**
 * Docker's multiplexed exec stream (Tty=false): frames of
 * [stream type (1 byte), 0, 0, 0, payload length (uint32 BE)] + payload.
 * We keep stdout and stderr in one buffer, in arrival order, because that is
 * what a learner would have seen in a terminal.
 */
export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onPayload: (payload: Buffer, stream: 'stdout' | 'stderr') => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) return;
      const type = this.pending[0];
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      if (type === 1 || type === 2) this.onPayload(payload, type === 1 ? 'stdout' : 'stderr');
    }
  }
}
