import { parseArgs } from 'node:util'
import { DEFAULT_ROOM_CAPACITY, MAX_MESSAGE_BYTES, MAX_ROOM_CAPACITY } from '@duet/core/protocol'
import { createJsonLogger } from '../ops/jsonLogger'
import type { LogLevel, TextSink } from '../ops/logger'
import {
  DEFAULT_JOIN_RATE_PER_IP,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RATE_LIMIT_PER_IP,
  type RateLimit,
} from '../requests/rateLimit'
import type { CommonOptions, Transport } from '../serverTypes'
import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  DEFAULT_MAX_HELD_BYTES,
  DEFAULT_MAX_MAILBOX_BYTES,
  DEFAULT_MAX_ROOM_BYTES,
  DEFAULT_PORT,
  DEFAULT_RECOVERY_WINDOW_MS,
  DEFAULT_RESUME_WINDOW_MS,
  DEFAULT_TURN_TTL_SECONDS,
} from './defaults'
import { recoveryWindowProblem, safetyProblem, turnPairProblem } from './rules'
import { fileFlag, type SecretFlag, secretSource } from './secretFiles'
import {
  boolean,
  bytes,
  ConfigError,
  cidrs,
  duration,
  httpUrl,
  integer,
  logLevel,
  nonEmpty,
  oneOrMore,
  origins,
  publicKeyPem,
  rateLimit,
  redisUrl,
  type Source,
  transports,
  turnUrls,
} from './settings'
import { USAGE } from './usage'

export { ConfigError, USAGE }

const atLeast =
  (min: number) =>
  (source: Source): number =>
    integer(source, min, Number.MAX_SAFE_INTEGER)

// Any single relay must fit a budget, as `createSignalingServer` checks too.
const budget = (source: Source): number => bytes(source, MAX_MESSAGE_BYTES)

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>

/** What the `duet-server` command line asks for; see {@link USAGE} for each setting. */
export interface CliConfig {
  /** `--help`: print usage and exit. */
  help: boolean
  /** `--port`, `DUET_PORT`, `PORT`. @default 3000 */
  port: number
  /** `--host`, `DUET_HOST`, `HOST`; undefined binds loopback (127.0.0.1). */
  host: string | undefined
  /** `--max-peers-per-room`, `DUET_MAX_PEERS_PER_ROOM`. @default 2 */
  maxPeersPerRoom: number
  /** `--cors-origin`, `DUET_CORS_ORIGIN`: comma-separated origins; undefined allows any. */
  corsOrigin: string | string[] | undefined
  /** `--redis`, `DUET_REDIS`: Redis URL; undefined keeps rooms in memory. */
  redis: string | undefined
  /** `--turn-secret`, `DUET_TURN_SECRET`. */
  turnSecret: string | undefined
  /** `--turn-urls`, `DUET_TURN_URLS`: comma-separated. */
  turnUrls: string[] | undefined
  /** `--turn-ttl`, `DUET_TURN_TTL`, in seconds. @default 3600 */
  turnTtlSeconds: number
  /** `--jwt-secret`, `DUET_JWT_SECRET`. */
  jwtSecret: string | undefined
  /** `--log-level`, `DUET_LOG_LEVEL`. @default 'info' */
  logLevel: LogLevel
  /** `--rate-limit`, `DUET_RATE_LIMIT`: `<per second>[:<burst>]`, or `off`. @default 20:40 */
  rateLimit: RateLimit | false
  /** `--resume-window`, `DUET_RESUME_WINDOW`, in ms. @default 30000 */
  resumeWindowMs: number
  /** `--recovery-window`, `DUET_RECOVERY_WINDOW`, in ms; 0 is off. @default 0 */
  recoveryWindowMs: number
  /** `--resume-secret`, `DUET_RESUME_SECRET`. */
  resumeSecret: string | undefined
  /** `--drain-timeout`, `DUET_DRAIN_TIMEOUT`, in ms. @default 10000 */
  drainTimeoutMs: number
  /** `--transports`, `DUET_TRANSPORTS`: comma-separated. @default ['polling', 'websocket'] */
  transports: Transport[]
  // Authentication, secrets and exposure (#13). Secrets also come from `--*-file`/`*_FILE`.
  /** `--allow-anonymous`, `DUET_ALLOW_ANONYMOUS`: serve everyone beyond loopback on purpose. */
  allowAnonymous: boolean
  /** `--jwt-public-key`, `DUET_JWT_PUBLIC_KEY`: PEM public key of RS256/PS256/ES256/EdDSA tokens. */
  jwtPublicKey: string | undefined
  /** `--jwks-url`, `DUET_JWKS_URL`: JSON Web Key Set of the token issuer. */
  jwksUrl: string | undefined
  /** `--jwt-audience`, `DUET_JWT_AUDIENCE`: required `aud`, comma-separated for several. */
  jwtAudience: string | string[] | undefined
  /** `--jwt-issuer`, `DUET_JWT_ISSUER`: required `iss`, comma-separated for several. */
  jwtIssuer: string | string[] | undefined
  /** `--metrics-port`, `DUET_METRICS_PORT`: serve /metrics there, off the public listener. */
  metricsPort: number | undefined
  /** `--metrics-host`, `DUET_METRICS_HOST`. @default '127.0.0.1' */
  metricsHost: string | undefined
  /** `--max-mailbox-bytes`, `DUET_MAX_MAILBOX_BYTES`. @default 1 MiB */
  maxMailboxBytes: number
  /** `--max-room-bytes`, `DUET_MAX_ROOM_BYTES`. @default 2 MiB */
  maxRoomBytes: number
  /** `--max-held-bytes`, `DUET_MAX_HELD_BYTES`. @default 64 MiB */
  maxHeldBytes: number
  /** `--max-buffered-bytes`, `DUET_MAX_BUFFERED_BYTES`. @default 4 MiB */
  maxBufferedBytes: number
  /** `--max-connections-per-ip`, `DUET_MAX_CONNECTIONS_PER_IP`; 0 is no limit. @default 64 */
  maxConnectionsPerIp: number
  /** `--max-connections`, `DUET_MAX_CONNECTIONS`; 0 is no limit. @default 20000 */
  maxConnections: number
  /** `--join-rate-per-ip`, `DUET_JOIN_RATE_PER_IP`: `<per second>[:<burst>]` or `off`. @default 10:50 */
  joinRatePerIp: RateLimit | false
  /** `--rate-limit-per-ip`, `DUET_RATE_LIMIT_PER_IP`: `<per second>[:<burst>]` or `off`. @default 200:400 */
  rateLimitPerIp: RateLimit | false
  /** `--trust-proxy`, `DUET_TRUST_PROXY`: comma-separated addresses or CIDRs. @default [] */
  trustProxy: string[]
}

// One row per setting; each is also read from DUET_<FLAG_IN_UPPER_SNAKE>.
const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'max-peers-per-room': { type: 'string' },
  'cors-origin': { type: 'string' },
  redis: { type: 'string' },
  'turn-secret': { type: 'string' },
  'turn-urls': { type: 'string' },
  'turn-ttl': { type: 'string' },
  'jwt-secret': { type: 'string' },
  'log-level': { type: 'string' },
  'rate-limit': { type: 'string' },
  'resume-window': { type: 'string' },
  'recovery-window': { type: 'string' },
  'resume-secret': { type: 'string' },
  'drain-timeout': { type: 'string' },
  transports: { type: 'string' },
  'max-mailbox-bytes': { type: 'string' },
  'max-room-bytes': { type: 'string' },
  'max-held-bytes': { type: 'string' },
  'max-buffered-bytes': { type: 'string' },
  'max-connections-per-ip': { type: 'string' },
  'max-connections': { type: 'string' },
  'join-rate-per-ip': { type: 'string' },
  'rate-limit-per-ip': { type: 'string' },
  'trust-proxy': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  // Authentication, secrets and exposure (#13).
  'allow-anonymous': { type: 'boolean' },
  'jwt-public-key': { type: 'string' },
  'jwks-url': { type: 'string' },
  'jwt-audience': { type: 'string' },
  'jwt-issuer': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  'jwt-secret-file': { type: 'string' },
  'jwt-public-key-file': { type: 'string' },
  'resume-secret-file': { type: 'string' },
  'turn-secret-file': { type: 'string' },
  'redis-file': { type: 'string' },
} as const

type StringFlag = {
  [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]['type'] extends 'string' ? K : never
}[keyof typeof OPTIONS]

/** The environment variable of a flag: `--max-peers-per-room` → `DUET_MAX_PEERS_PER_ROOM`. */
export const envName = (flag: string): string => `DUET_${flag.toUpperCase().replaceAll('-', '_')}`

/**
 * Reads the command line (without `node` and the script) and the environment.
 * Precedence: flag, then `DUET_*` variable, then generic variable (`PORT`, `HOST`), then default.
 * Throws {@link ConfigError} on unknown flags or invalid values.
 */
export function parseConfig(argv: readonly string[], env: Env): CliConfig {
  const { values } = parseFlags(argv)
  const fromFlag = (flag: StringFlag): Source | undefined => {
    const value = values[flag]
    return value !== undefined ? { value, from: `--${flag}` } : undefined
  }
  const fromEnv = (...variables: string[]): Source | undefined => {
    for (const variable of variables) {
      const value = env[variable]
      // An empty variable is how shells and compose files "unset" things.
      if (value !== undefined && value !== '') return { value, from: variable }
    }
    return undefined
  }
  const pick = (flag: StringFlag, ...generic: string[]): Source | undefined =>
    fromFlag(flag) ?? fromEnv(envName(flag), ...generic)
  // A secret or its file: flags first, then variables, each level allowing only one of the two.
  const pickSecret = (flag: SecretFlag): Source | undefined =>
    secretSource(flag, fromFlag(flag), fromFlag(fileFlag(flag))) ??
    secretSource(flag, fromEnv(envName(flag)), fromEnv(envName(fileFlag(flag))))
  const read = <T>(source: Source | undefined, parse: (source: Source) => T, fallback: T): T =>
    source ? parse(source) : fallback

  const config: CliConfig = {
    help: values.help === true,
    port: read(pick('port', 'PORT'), (s) => integer(s, 0, 65535), DEFAULT_PORT),
    host: read(pick('host', 'HOST'), nonEmpty, undefined),
    maxPeersPerRoom: read(
      pick('max-peers-per-room'),
      (s) => integer(s, 2, MAX_ROOM_CAPACITY),
      DEFAULT_ROOM_CAPACITY,
    ),
    corsOrigin: read(pick('cors-origin'), origins, undefined),
    redis: read(pickSecret('redis'), redisUrl, undefined),
    turnSecret: read(pickSecret('turn-secret'), nonEmpty, undefined),
    turnUrls: read(pick('turn-urls'), turnUrls, undefined),
    turnTtlSeconds: read(pick('turn-ttl'), (s) => duration(s, 's', 1), DEFAULT_TURN_TTL_SECONDS),
    jwtSecret: read(pickSecret('jwt-secret'), nonEmpty, undefined),
    logLevel: read(pick('log-level'), logLevel, 'info'),
    rateLimit: read(pick('rate-limit'), rateLimit, DEFAULT_RATE_LIMIT),
    resumeWindowMs: read(
      pick('resume-window'),
      (s) => duration(s, 'ms', 0),
      DEFAULT_RESUME_WINDOW_MS,
    ),
    recoveryWindowMs: read(
      pick('recovery-window'),
      (s) => duration(s, 'ms', 0),
      DEFAULT_RECOVERY_WINDOW_MS,
    ),
    resumeSecret: read(pickSecret('resume-secret'), nonEmpty, undefined),
    drainTimeoutMs: read(
      pick('drain-timeout'),
      (s) => duration(s, 'ms', 0),
      DEFAULT_DRAIN_TIMEOUT_MS,
    ),
    transports: read(pick('transports'), transports, ['polling', 'websocket']),
    allowAnonymous:
      values['allow-anonymous'] === true ||
      read(fromEnv(envName('allow-anonymous')), boolean, false),
    jwtPublicKey: read(pickSecret('jwt-public-key'), publicKeyPem, undefined),
    jwksUrl: read(pick('jwks-url'), httpUrl, undefined),
    jwtAudience: read(pick('jwt-audience'), oneOrMore, undefined),
    jwtIssuer: read(pick('jwt-issuer'), oneOrMore, undefined),
    metricsPort: read(pick('metrics-port'), (s) => integer(s, 0, 65535), undefined),
    metricsHost: read(pick('metrics-host'), nonEmpty, undefined),
    maxMailboxBytes: read(pick('max-mailbox-bytes'), budget, DEFAULT_MAX_MAILBOX_BYTES),
    maxRoomBytes: read(pick('max-room-bytes'), budget, DEFAULT_MAX_ROOM_BYTES),
    maxHeldBytes: read(pick('max-held-bytes'), budget, DEFAULT_MAX_HELD_BYTES),
    maxBufferedBytes: read(pick('max-buffered-bytes'), budget, DEFAULT_MAX_BUFFERED_BYTES),
    maxConnectionsPerIp: read(
      pick('max-connections-per-ip'),
      atLeast(0),
      DEFAULT_MAX_CONNECTIONS_PER_IP,
    ),
    maxConnections: read(pick('max-connections'), atLeast(0), DEFAULT_MAX_CONNECTIONS),
    joinRatePerIp: read(pick('join-rate-per-ip'), rateLimit, DEFAULT_JOIN_RATE_PER_IP),
    rateLimitPerIp: read(pick('rate-limit-per-ip'), rateLimit, DEFAULT_RATE_LIMIT_PER_IP),
    trustProxy: read(pick('trust-proxy'), cidrs, []),
  }
  const problem =
    recoveryWindowProblem(
      { name: '--recovery-window', value: config.recoveryWindowMs },
      { name: '--resume-window', value: config.resumeWindowMs },
    ) ??
    turnPairProblem(
      { name: '--turn-secret', value: config.turnSecret },
      { name: '--turn-urls', value: config.turnUrls },
    ) ??
    flagSafetyProblem(config)
  if (problem !== undefined) throw new ConfigError(problem)
  return config
}

// Authentication, secrets and exposure (#13): the rules `createSignalingServer` applies too,
// named by their flags.
function flagSafetyProblem(config: CliConfig): string | undefined {
  const settings = {
    jwtKeys: [
      { name: '--jwt-secret', value: config.jwtSecret },
      { name: '--jwt-public-key', value: config.jwtPublicKey },
      { name: '--jwks-url', value: config.jwksUrl },
    ],
    claims: [
      { name: '--jwt-audience', value: config.jwtAudience },
      { name: '--jwt-issuer', value: config.jwtIssuer },
    ],
    jwtSecret: { name: '--jwt-secret', value: config.jwtSecret },
    resumeSecret: { name: '--resume-secret', value: config.resumeSecret },
    redis: { name: '--redis', value: config.redis },
    turnSecret: { name: '--turn-secret', value: config.turnSecret },
  }
  const reach = {
    host: config.host ?? DEFAULT_HOST,
    originsExplicit: config.corsOrigin !== undefined,
    allowAnonymous: config.allowAnonymous,
  }
  return safetyProblem(settings, reach, 'flags')
}

/**
 * The `createSignalingServer` options a configuration stands for (everything but where to
 * listen), with a JSON-lines logger at its log level writing to `sink`.
 */
export function toServerOptions(config: CliConfig, sink: TextSink): CommonOptions {
  return {
    maxPeersPerRoom: config.maxPeersPerRoom,
    ...(config.corsOrigin !== undefined ? { corsOrigin: config.corsOrigin } : {}),
    ...(config.redis !== undefined ? { redis: config.redis } : {}),
    ...(config.turnSecret !== undefined ? { turnSecret: config.turnSecret } : {}),
    ...(config.turnUrls !== undefined ? { turnUrls: config.turnUrls } : {}),
    turnTtlSeconds: config.turnTtlSeconds,
    ...(config.jwtSecret !== undefined ? { jwtSecret: config.jwtSecret } : {}),
    rateLimit: config.rateLimit,
    resumeWindowMs: config.resumeWindowMs,
    recoveryWindowMs: config.recoveryWindowMs,
    ...(config.resumeSecret !== undefined ? { resumeSecret: config.resumeSecret } : {}),
    drainTimeoutMs: config.drainTimeoutMs,
    transports: config.transports,
    maxMailboxBytes: config.maxMailboxBytes,
    maxRoomBytes: config.maxRoomBytes,
    maxHeldBytes: config.maxHeldBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    maxConnections: config.maxConnections,
    joinRatePerIp: config.joinRatePerIp,
    rateLimitPerIp: config.rateLimitPerIp,
    trustProxy: config.trustProxy,
    logger: createJsonLogger(sink, config.logLevel),
    ...(config.allowAnonymous ? { allowAnonymous: true } : {}),
    ...(config.jwtPublicKey !== undefined ? { jwtPublicKey: config.jwtPublicKey } : {}),
    ...(config.jwksUrl !== undefined ? { jwksUrl: config.jwksUrl } : {}),
    ...(config.jwtAudience !== undefined ? { jwtAudience: config.jwtAudience } : {}),
    ...(config.jwtIssuer !== undefined ? { jwtIssuer: config.jwtIssuer } : {}),
    ...(config.metricsPort !== undefined ? { metricsPort: config.metricsPort } : {}),
    ...(config.metricsHost !== undefined ? { metricsHost: config.metricsHost } : {}),
  }
}

/**
 * Reads the server options from `DUET_*` environment variables, exactly as `duet-server` does,
 * for a server you host yourself (port and host stay yours). Throws {@link ConfigError}.
 * @example
 * ```ts
 * const signaling = createSignalingServer({ httpServer, ...optionsFromEnv(process.env) })
 * ```
 */
export function optionsFromEnv(env: Env, sink: TextSink = process.stderr): CommonOptions {
  return toServerOptions(parseConfig([], env), sink)
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false })
  } catch (error) {
    // Node's parseArgs messages run on over several lines of hints; the first sentence says it.
    const text = error instanceof Error ? error.message : String(error)
    throw new ConfigError(text.split(/\.(?:\s|$)/)[0] || 'invalid arguments')
  }
}
