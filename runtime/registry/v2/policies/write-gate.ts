/**
 * While garbage collection runs the registry is read-only (gc/write-gate.ts):
 * every request that may write passes the gate, and leaves it when the
 * exchange ends, so the collector waits for uploads in flight.
 *
 *   writeGatePolicy(gate)
 */
import type { WriteGate } from '../../gc/write-gate';
import { refuse, type Policy } from '../chain';

export function writeGatePolicy(gate: WriteGate): Policy {
  return {
    name: 'write gate',
    decide(ctx) {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') return null;
      if (!gate.enter()) return refuse(503, 'UNAVAILABLE', 'the registry is read-only while garbage collection runs: try again in a moment');
      ctx.onDone(() => gate.leave());
      return null;
    },
  };
}
