/**
 * Client half of the terminal flow control: counts bytes xterm has rendered
 * and says when to acknowledge them (every `every` bytes).
 */
export class AckCounter {
  private pending = 0;

  constructor(private readonly every: number) {}

  /** Records rendered bytes; returns how many to acknowledge now, or 0. */
  rendered(bytes: number): number {
    this.pending += bytes;
    if (this.pending < this.every) return 0;
    const ack = this.pending;
    this.pending = 0;
    return ack;
  }

  reset(): void {
    this.pending = 0;
  }
}
