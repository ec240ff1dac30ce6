/**
 * Collects a command's output up to a limit, keeping the end: a check that
 * prints gigabytes must not take the server's memory with it, and the last
 * line — the learner's hint — is what matters.
 */

/** 1 MiB: far more than any check or exec result a person reads. */
export const MAX_EXEC_OUTPUT = 1024 * 1024;

export class BoundedOutput {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly limit = MAX_EXEC_OUTPUT) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length) {
      const first = this.chunks[0];
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): string {
    const body = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `[… ${this.dropped} earlier bytes not kept]\n${body}` : body;
  }
}
