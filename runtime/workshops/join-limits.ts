/**
 * Rate limits in front of every use of a join code (the join page and the
 * join request): guessing codes must be slow, and a code that leaked must not
 * be floodable. Three rate-limiter-flexible buckets:
 *
 *   - misses per client address: codes that match no workshop. A handful per
 *     window is typos; past it the address is refused outright — even with a
 *     right code — until the window passes, so a guesser learns nothing more;
 *   - attempts per client address: every lookup, loose enough for a whole
 *     classroom joining from behind one NAT address;
 *   - attempts per code: every lookup of one code, from anywhere.
 *
 *   const limits = createJoinLimits(config.workshops);
 *   const workshop = await limits.lookup(address, code, () => db.workshop.findUnique(…));   // or HttpError 429
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../http/http-error';

export interface JoinLimitOptions {
  /** Codes that match nothing, per address per missWindowMinutes. */
  joinMissesPerAddress: number;
  missWindowMinutes: number;
  /** Lookups (page views and joins) per address per minute. */
  joinsPerAddressPerMinute: number;
  /** Lookups of one code per minute, from all addresses together. */
  joinsPerCodePerMinute: number;
}

export function createJoinLimits(options: JoinLimitOptions) {
  const misses = new RateLimiterMemory({ keyPrefix: 'miss', points: options.joinMissesPerAddress, duration: options.missWindowMinutes * 60 });
  const perAddress = new RateLimiterMemory({ keyPrefix: 'addr', points: options.joinsPerAddressPerMinute, duration: 60 });
  const perCode = new RateLimiterMemory({ keyPrefix: 'code', points: options.joinsPerCodePerMinute, duration: 60 });

  const refuse = (res: RateLimiterRes, why: string) => {
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new HttpError(429, `${why}: try again in ${retryAfterSeconds} s.`, { headers: { 'retry-after': String(retryAfterSeconds) }, body: { retryAfterSeconds } });
  };

  /** Consumes one point, or throws the refusal; any other failure of the limiter is a refusal too (fail closed). */
  async function take(limiter: RateLimiterMemory, key: string, why: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw refuse(err, why);
      throw new HttpError(503, `join limits could not be checked: ${(err as Error).message}`);
    }
  }

  return {
    /** The workshop with this code, if this address may look it up now; counts the lookup and, if it misses, the miss. */
    async lookup<W>(address: string | null, code: string, find: () => Promise<W | null>): Promise<W | null> {
      const who = address || 'unknown';
      // A blocked guesser is refused before the code is even looked at.
      const blocked = await misses.get(who);
      if (blocked && blocked.remainingPoints <= 0) throw refuse(blocked, 'Too many wrong workshop codes from your address');
      await take(perAddress, who, 'Too many join attempts from your address');
      await take(perCode, code.toUpperCase(), 'Too many join attempts for this workshop code');
      const found = await find();
      if (!found) await misses.consume(who).catch(() => undefined);
      return found;
    },
  };
}

export type JoinLimits = ReturnType<typeof createJoinLimits>;
