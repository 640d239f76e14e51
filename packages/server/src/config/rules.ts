import { type ExposureSettings, exposureRefusal } from './exposure'

// The rules that tie settings together, and the integer check every number goes through, written
// once for both ways of configuring the server: `duet-server` flags and `createSignalingServer`
// options. Each rule names the settings the way its caller spelled them, so a message points at
// the flag (`--resume-window`) or at the option (`resumeWindowMs`) the user wrote.

/** A setting's value and the name its caller knows it by (`--resume-window`, `resumeWindowMs`). */
export interface Named<T> {
  /** The flag, variable or option name, for the message. */
  readonly name: string
  /** The value given, or undefined when not given. */
  readonly value: T
}

/** Whether `value` is a safe integer from `min` to `max`. */
export const isIntegerIn = (value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isSafeInteger(value) && value >= min && value <= max

/** The range `isIntegerIn` accepts, in words: `at least 2`, `from 0 to 65535`. */
export const integerRange = (min: number, max = Number.MAX_SAFE_INTEGER): string =>
  max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`

/**
 * Why a recovery window does not fit the resume window, or undefined when it does. A session
 * Socket.io recovers after its place is gone only gets `room:lost`: a longer window buys nothing
 * and holds every relay of it in memory.
 */
export function recoveryWindowProblem(
  recovery: Named<number>,
  resume: Named<number>,
): string | undefined {
  return recovery.value > resume.value
    ? `${recovery.name} must not be longer than ${resume.name} (${recovery.value} > ${resume.value})`
    : undefined
}

/**
 * Why TURN settings are incomplete, or undefined when they are whole or absent: a secret without
 * URLs hands out credentials for no server, URLs without a secret credentials no server accepts.
 */
export function turnPairProblem(
  secret: Named<string | undefined>,
  urls: Named<readonly string[] | undefined>,
): string | undefined {
  const hasSecret = secret.value !== undefined && secret.value !== ''
  const hasUrls = urls.value !== undefined && urls.value.length > 0
  if (secret.value === undefined && urls.value === undefined) return undefined
  return hasSecret && hasUrls
    ? undefined
    : `${secret.name} and ${urls.name} go together: give both or neither`
}

// Authentication, secrets and exposure (#13).

/** Shortest secret accepted, in bytes: an HMAC is only as strong as its key (RFC 7518 3.2). */
export const MIN_SECRET_BYTES = 32

/** Why a secret is too weak to sign with, or undefined when it is long enough (or absent). */
export function secretStrengthProblem(secret: Named<string | undefined>): string | undefined {
  if (secret.value === undefined) return undefined
  return Buffer.byteLength(secret.value, 'utf8') < MIN_SECRET_BYTES
    ? `${secret.name} must be at least ${MIN_SECRET_BYTES} bytes long (e.g. openssl rand -base64 32)`
    : undefined
}

/** Why JWT key settings conflict, or undefined: at most one key source. */
export function jwtKeyProblem(sources: readonly Named<unknown>[]): string | undefined {
  const given = sources.filter((source) => source.value !== undefined)
  return given.length > 1
    ? `give one of ${sources.map((source) => source.name).join(', ')}, not ${given.length}`
    : undefined
}

/**
 * Why a Redis setup lacks a shared resume secret, or undefined: each node would draw its own,
 * and a client resuming on another node would be refused and then find its room full.
 */
export function redisSecretProblem(
  redis: Named<string | undefined>,
  resumeSecret: Named<string | undefined>,
): string | undefined {
  return redis.value !== undefined && resumeSecret.value === undefined
    ? `${redis.name} needs ${resumeSecret.name}, the same on every node`
    : undefined
}

/**
 * Why TURN lacks authentication, or undefined: credentials handed to anyone who connects make
 * the TURN server an open relay.
 */
export function turnAuthProblem(
  turnSecret: Named<string | undefined>,
  authenticated: Named<boolean>,
): string | undefined {
  return turnSecret.value !== undefined && !authenticated.value
    ? `${turnSecret.name} needs authentication (${authenticated.name}): TURN credentials go to authenticated peers only`
    : undefined
}

/** The settings the authentication and secret rules look at, named as their caller spells them. */
export interface AuthSettings {
  /** The built-in JWT key sources (secret, public key, JWKS URL): at most one. */
  jwtKeys: readonly Named<unknown>[]
  /** A custom authentication hook, if the caller has one: it excludes the JWT keys too. */
  hook?: Named<unknown>
  /** Claim checks (audience, issuer) that need a JWT key. */
  claims: readonly Named<unknown>[]
  jwtSecret: Named<string | undefined>
  resumeSecret: Named<string | undefined>
  redis: Named<string | undefined>
  turnSecret: Named<string | undefined>
}

/** Whether these settings make connections authenticate. */
export const authenticates = (settings: AuthSettings): boolean =>
  [...settings.jwtKeys, ...(settings.hook ? [settings.hook] : [])].some(
    (source) => source.value !== undefined,
  )

/**
 * The first problem of the authentication and secret settings, or undefined: one key source,
 * strong secrets, a shared resume secret with Redis, TURN only with authentication, claim
 * checks only with a JWT key.
 */
export function authProblem(settings: AuthSettings): string | undefined {
  const { jwtKeys, hook, claims } = settings
  const keyNames = jwtKeys.map((key) => key.name).join(', ')
  const usesJwt = jwtKeys.some((key) => key.value !== undefined)
  const claimNames = claims.map((claim) => claim.name).join(' and ')
  return (
    jwtKeyProblem(hook ? [hook, ...jwtKeys] : jwtKeys) ??
    secretStrengthProblem(settings.jwtSecret) ??
    secretStrengthProblem(settings.resumeSecret) ??
    redisSecretProblem(settings.redis, settings.resumeSecret) ??
    turnAuthProblem(settings.turnSecret, {
      name: [keyNames, hook?.name].filter(Boolean).join(' or '),
      value: authenticates(settings),
    }) ??
    (claims.some((claim) => claim.value !== undefined) && !usesJwt
      ? `${claimNames} need one of ${keyNames}`
      : undefined)
  )
}

/** Where a server listens and whom it lets in from there, for the exposure rule. */
export type Reach = Omit<ExposureSettings, 'authenticated'>

/**
 * The first problem of the authentication, secret and exposure settings (`reach` is undefined
 * when the caller owns the listening server), in flag or option spelling.
 */
export function safetyProblem(
  settings: AuthSettings,
  reach: Reach | undefined,
  spelling: 'flags' | 'options',
): string | undefined {
  return (
    authProblem(settings) ??
    (reach
      ? exposureRefusal({ ...reach, authenticated: authenticates(settings) }, spelling)
      : undefined)
  )
}
