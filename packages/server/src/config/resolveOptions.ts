import { DEFAULT_ROOM_CAPACITY } from '@duet/core/protocol'
import type { TurnSettings } from '../auth/turnCredentials'
import { DEFAULT_RATE_LIMIT, type RateLimit } from '../requests/rateLimit'
import type { SignalingServerOptions, Transport } from '../serverTypes'
import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_PING_TIMEOUT_MS,
  DEFAULT_RECOVERY_WINDOW_MS,
  DEFAULT_RESUME_WINDOW_MS,
  DEFAULT_TURN_TTL_SECONDS,
} from './defaults'
import { integerRange, isIntegerIn, recoveryWindowProblem, turnPairProblem } from './rules'

/** Options after validation, with every default applied. */
export interface ResolvedOptions {
  /** Peers per room. */
  capacity: number
  /** Allowed browser origins, or `'*'`. */
  origins: readonly string[] | '*'
  /** Socket.io transports. */
  transports: Transport[]
  /** How long a disconnected peer keeps its place; 0 turns resume off. */
  resumeWindowMs: number
  /** How long Socket.io keeps a dropped connection's session; 0 turns recovery off. */
  recoveryWindowMs: number
  /** Default timeout of `drain()`. */
  drainTimeoutMs: number
  /** Heartbeat period; with `pingTimeoutMs`, the bound on noticing a half-open connection. */
  pingIntervalMs: number
  /** How long a pong may take before the connection counts as dropped. */
  pingTimeoutMs: number
  /** Per-socket token bucket, or false. */
  rateLimit: RateLimit | false
  /** TURN credential settings, when configured. */
  turn: TurnSettings | undefined
  /** How long a live place survives a dead node (Redis only). */
  leaseMs: number
  /** How often expired places are freed. */
  sweepMs: number
}

function integer(name: string, value: number | undefined, fallback: number, min: number): number {
  const resolved = value ?? fallback
  if (!isIntegerIn(resolved, min)) {
    throw new RangeError(`${name} must be an integer ${integerRange(min)}, got ${resolved}`)
  }
  return resolved
}

function rateLimit(value: RateLimit | false | undefined): RateLimit | false {
  if (value === false) return false
  const limit = value ?? DEFAULT_RATE_LIMIT
  if (!(limit.perSecond > 0) || !Number.isFinite(limit.perSecond) || !isIntegerIn(limit.burst, 1)) {
    throw new RangeError('rateLimit needs perSecond > 0 and an integer burst of at least 1')
  }
  return { perSecond: limit.perSecond, burst: limit.burst }
}

function turn(options: SignalingServerOptions): TurnSettings | undefined {
  const { turnSecret, turnUrls } = options
  const ttlSeconds = integer('turnTtlSeconds', options.turnTtlSeconds, DEFAULT_TURN_TTL_SECONDS, 1)
  const problem = turnPairProblem(
    { name: 'turnSecret', value: turnSecret },
    { name: 'turnUrls', value: turnUrls },
  )
  if (problem !== undefined) throw new TypeError(problem)
  if (turnSecret === undefined || turnUrls === undefined) return undefined
  return { secret: turnSecret, urls: [...turnUrls], ttlSeconds }
}

/** Validates the options of `createSignalingServer`; throws `RangeError`/`TypeError` on misuse. */
export function resolveOptions(options: SignalingServerOptions): ResolvedOptions {
  const capacity = integer('maxPeersPerRoom', options.maxPeersPerRoom, DEFAULT_ROOM_CAPACITY, 2)
  if (options.authenticate && options.jwtSecret !== undefined) {
    throw new TypeError('give either authenticate or jwtSecret, not both')
  }
  if (options.jwtSecret === '') throw new TypeError('jwtSecret must not be empty')
  const transports = options.transports ?? ['polling', 'websocket']
  if (transports.length === 0) throw new TypeError('transports must name at least one transport')
  const resumeWindowMs = integer(
    'resumeWindowMs',
    options.resumeWindowMs,
    DEFAULT_RESUME_WINDOW_MS,
    0,
  )
  const recoveryWindowMs = integer(
    'recoveryWindowMs',
    options.recoveryWindowMs,
    DEFAULT_RECOVERY_WINDOW_MS,
    0,
  )
  const windowProblem = recoveryWindowProblem(
    { name: 'recoveryWindowMs', value: recoveryWindowMs },
    { name: 'resumeWindowMs', value: resumeWindowMs },
  )
  if (windowProblem !== undefined) throw new RangeError(windowProblem)
  const corsOrigin = options.corsOrigin ?? '*'
  const origins =
    corsOrigin === '*' ? '*' : typeof corsOrigin === 'string' ? [corsOrigin] : corsOrigin
  return {
    capacity,
    origins: Array.isArray(origins) && origins.includes('*') ? '*' : origins,
    transports: [...transports],
    resumeWindowMs,
    recoveryWindowMs,
    drainTimeoutMs: integer('drainTimeoutMs', options.drainTimeoutMs, DEFAULT_DRAIN_TIMEOUT_MS, 0),
    pingIntervalMs: integer('pingIntervalMs', options.pingIntervalMs, DEFAULT_PING_INTERVAL_MS, 1),
    pingTimeoutMs: integer('pingTimeoutMs', options.pingTimeoutMs, DEFAULT_PING_TIMEOUT_MS, 1),
    rateLimit: rateLimit(options.rateLimit),
    turn: turn(options),
    // A dead node cannot free its peers' places; they lapse after this unless renewed.
    leaseMs: Math.max(resumeWindowMs, 5000),
    sweepMs: resumeWindowMs > 0 ? Math.min(Math.max(resumeWindowMs / 4, 50), 1000) : 1000,
  }
}
