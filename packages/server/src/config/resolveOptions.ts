import type { BlockList } from 'node:net'
import { DEFAULT_ROOM_CAPACITY, MAX_MESSAGE_BYTES, MAX_ROOM_CAPACITY } from '@duet/core/protocol'
import { DEFAULT_RESUME_TOKEN_TTL_MS } from '../auth/resumeTokens'
import type { TurnSettings } from '../auth/turnCredentials'
import type { AddressLimitSettings } from '../requests/addressLimits'
import { trustedProxies } from '../requests/clientAddress'
import {
  DEFAULT_JOIN_RATE_PER_IP,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RATE_LIMIT_PER_IP,
  type RateLimit,
} from '../requests/rateLimit'
import type { HeldBudgets } from '../rooms/roomStore'
import type { SignalingServerOptions, Transport } from '../serverTypes'
import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  DEFAULT_MAX_HELD_BYTES,
  DEFAULT_MAX_MAILBOX_BYTES,
  DEFAULT_MAX_ROOM_BYTES,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_PING_TIMEOUT_MS,
  DEFAULT_RECOVERY_WINDOW_MS,
  DEFAULT_RESUME_WINDOW_MS,
  DEFAULT_TURN_TTL_SECONDS,
} from './defaults'
import {
  integerRange,
  isIntegerIn,
  recoveryWindowProblem,
  safetyProblem,
  turnPairProblem,
} from './rules'

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
  /** How long a resume token stays valid, in ms. */
  resumeTokenTtlMs: number
  /** Byte budgets of relays kept for away peers. */
  budgets: HeldBudgets
  /** Bytes waiting to be written to one client before its connection is cut. */
  maxBufferedBytes: number
  /** Connection and request limits per client address and per node. */
  addressLimits: AddressLimitSettings
  /** Proxies whose `X-Forwarded-For` is believed, or undefined for none. */
  trustedProxies: BlockList | undefined
}

function integer(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max?: number,
): number {
  const resolved = value ?? fallback
  if (!isIntegerIn(resolved, min, max)) {
    throw new RangeError(`${name} must be an integer ${integerRange(min, max)}, got ${resolved}`)
  }
  return resolved
}

function rateLimit(
  name: string,
  value: RateLimit | false | undefined,
  fallback: RateLimit,
): RateLimit | false {
  if (value === false) return false
  const limit = value ?? fallback
  if (!(limit.perSecond > 0) || !Number.isFinite(limit.perSecond) || !isIntegerIn(limit.burst, 1)) {
    throw new RangeError(`${name} needs perSecond > 0 and an integer burst of at least 1`)
  }
  return { perSecond: limit.perSecond, burst: limit.burst }
}

// Any single relay must fit, or an away peer could never be sent a large description.
const budget = (name: string, value: number | undefined, fallback: number): number =>
  integer(name, value, fallback, MAX_MESSAGE_BYTES)

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
  const capacity = integer(
    'maxPeersPerRoom',
    options.maxPeersPerRoom,
    DEFAULT_ROOM_CAPACITY,
    2,
    MAX_ROOM_CAPACITY,
  )
  if (options.jwtSecret === '') throw new TypeError('jwtSecret must not be empty')
  checkAuthentication(options)
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
    rateLimit: rateLimit('rateLimit', options.rateLimit, DEFAULT_RATE_LIMIT),
    turn: turn(options),
    // A dead node cannot free its peers' places; they lapse after this unless renewed.
    leaseMs: Math.max(resumeWindowMs, 5000),
    sweepMs: resumeWindowMs > 0 ? Math.min(Math.max(resumeWindowMs / 4, 50), 1000) : 1000,
    budgets: {
      mailboxBytes: budget('maxMailboxBytes', options.maxMailboxBytes, DEFAULT_MAX_MAILBOX_BYTES),
      roomBytes: budget('maxRoomBytes', options.maxRoomBytes, DEFAULT_MAX_ROOM_BYTES),
      storeBytes: budget('maxHeldBytes', options.maxHeldBytes, DEFAULT_MAX_HELD_BYTES),
    },
    maxBufferedBytes: budget(
      'maxBufferedBytes',
      options.maxBufferedBytes,
      DEFAULT_MAX_BUFFERED_BYTES,
    ),
    addressLimits: {
      maxConnectionsPerIp: integer(
        'maxConnectionsPerIp',
        options.maxConnectionsPerIp,
        DEFAULT_MAX_CONNECTIONS_PER_IP,
        0,
      ),
      maxConnections: integer('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS, 0),
      joinRatePerIp: rateLimit('joinRatePerIp', options.joinRatePerIp, DEFAULT_JOIN_RATE_PER_IP),
      rateLimitPerIp: rateLimit(
        'rateLimitPerIp',
        options.rateLimitPerIp,
        DEFAULT_RATE_LIMIT_PER_IP,
      ),
    },
    trustedProxies:
      options.trustProxy && options.trustProxy.length > 0
        ? trustedProxies(options.trustProxy)
        : undefined,
    resumeTokenTtlMs: integer(
      'resumeTokenTtlMs',
      options.resumeTokenTtlMs,
      DEFAULT_RESUME_TOKEN_TTL_MS,
      1000,
    ),
  }
}

// Authentication, secrets and exposure (#13): each rule is shared with the CLI (config/rules).
function checkAuthentication(options: SignalingServerOptions): void {
  const settings = {
    jwtKeys: [
      { name: 'jwtSecret', value: options.jwtSecret },
      { name: 'jwtPublicKey', value: options.jwtPublicKey },
      { name: 'jwksUrl', value: options.jwksUrl },
    ],
    hook: { name: 'authenticate', value: options.authenticate },
    claims: [
      { name: 'jwtAudience', value: options.jwtAudience },
      { name: 'jwtIssuer', value: options.jwtIssuer },
    ],
    jwtSecret: { name: 'jwtSecret', value: options.jwtSecret },
    resumeSecret: { name: 'resumeSecret', value: options.resumeSecret },
    redis: { name: 'redis', value: options.redis },
    turnSecret: { name: 'turnSecret', value: options.turnSecret },
  }
  // Attached to a server of yours, where it listens is yours to decide.
  const reach =
    options.httpServer === undefined
      ? {
          host: options.host ?? DEFAULT_HOST,
          originsExplicit: options.corsOrigin !== undefined,
          allowAnonymous: options.allowAnonymous === true,
        }
      : undefined
  const problem = safetyProblem(settings, reach, 'options')
  if (problem !== undefined) throw new TypeError(problem)
  if (options.metricsPort !== undefined && !isIntegerIn(options.metricsPort, 0, 65535)) {
    throw new RangeError(
      `metricsPort must be an integer from 0 to 65535, got ${options.metricsPort}`,
    )
  }
}
