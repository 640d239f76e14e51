/** A token-bucket rate: a steady rate with room for a burst. */
export interface RateLimit {
  /** Messages per second allowed on average. */
  perSecond: number
  /** Messages allowed at once after a quiet spell (the bucket size). */
  burst: number
}

/**
 * Default per-socket rate. A call start sends a join, an offer or answer and ~10–30 ICE
 * candidates in well under a second; an ICE restart sends as many again. 40 at once covers
 * that with room to spare, and 20/s refills it between such bursts.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 20, burst: 40 }

/** Takes one token per message; false when the bucket is empty. */
export type TokenBucket = () => boolean

/** A token bucket that starts full and refills continuously. */
export function createTokenBucket(
  { perSecond, burst }: RateLimit,
  now: () => number = () => performance.now(),
): TokenBucket {
  let tokens = burst
  let last = now()
  return () => {
    const current = now()
    tokens = Math.min(burst, tokens + ((current - last) / 1000) * perSecond)
    last = current
    if (tokens < 1) return false
    tokens -= 1
    return true
  }
}
