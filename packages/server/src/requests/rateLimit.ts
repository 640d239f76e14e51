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

/**
 * Default joins per client address: an office behind one NAT joins a few calls a minute; one
 * address opening hundreds of rooms a second is a flood.
 */
export const DEFAULT_JOIN_RATE_PER_IP: RateLimit = { perSecond: 10, burst: 50 }

/** Default requests per client address, all its sockets together: ten busy sockets' worth. */
export const DEFAULT_RATE_LIMIT_PER_IP: RateLimit = { perSecond: 200, burst: 400 }

// Shared by every bucket: a default written inline would be a new closure per socket.
const performanceNow = (): number => performance.now()

/** Takes one token per message; false when the bucket is empty. */
export type TokenBucket = () => boolean

/**
 * A token bucket that starts full and refills continuously. A class: every socket has one, and
 * two number fields are smaller than a closure and its context.
 */
export class Bucket {
  #tokens: number
  #last: number

  constructor(
    readonly rate: RateLimit,
    readonly now: () => number = performanceNow,
  ) {
    this.#tokens = rate.burst
    this.#last = now()
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const current = this.now()
    const { perSecond, burst } = this.rate
    this.#tokens = Math.min(burst, this.#tokens + ((current - this.#last) / 1000) * perSecond)
    this.#last = current
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}

/** A token bucket that starts full and refills continuously, as a function. */
export function createTokenBucket(
  rate: RateLimit,
  now: () => number = performanceNow,
): TokenBucket {
  const bucket = new Bucket(rate, now)
  return () => bucket.take()
}
