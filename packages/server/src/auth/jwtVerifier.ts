import { createPublicKey, type KeyObject } from 'node:crypto'
import { MAX_AUTH_TOKEN_LENGTH } from '@duet/core/protocol'
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { secretStrengthProblem } from '../config/rules'

/** Algorithms accepted with a shared secret. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const

/** Algorithms accepted with a public key or a JWKS: what identity providers sign with. */
export const PUBLIC_KEY_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const

/** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. */
export const JWT_LEEWAY_SECONDS = 30

/** Where the keys that sign accepted tokens come from: exactly one of the three. */
export type JwtKeySource =
  | { secret: string; publicKey?: undefined; jwksUrl?: undefined }
  | { secret?: undefined; publicKey: string | KeyObject; jwksUrl?: undefined }
  | { secret?: undefined; publicKey?: undefined; jwksUrl: string | URL }

/** Options of {@link createJwtVerifier}. */
export type JwtVerifierOptions = JwtKeySource & {
  /** Required `aud`: the token must name (one of) these. */
  audience?: string | string[]
  /** Required `iss`: the token must come from (one of) these. */
  issuer?: string | string[]
  /**
   * How long fetched JWKS keys are trusted before they are fetched again, in ms.
   * @default 600000 (jose's default)
   */
  jwksCacheMs?: number
  /**
   * Least time between two JWKS fetches caused by an unknown `kid` (a key rotated in), in ms.
   * @default 30000 (jose's default)
   */
  jwksCooldownMs?: number
}

/** A verified token: its claims and when it stops being valid. */
export interface VerifiedJwt {
  /** Discriminant. */
  ok: true
  /** Every claim of the token. */
  claims: JWTPayload
  /** `exp` plus the leeway, in ms since epoch: the connection must refresh before then. */
  expiresAt: number
}

/** Why a token was refused, for the server's logs (the client only learns UNAUTHORIZED). */
export interface RefusedJwt {
  /** Discriminant. */
  ok: false
  /** e.g. `expired`, `signature`, `algorithm`, `claim aud`, `malformed`. */
  reason: string
}

/**
 * Checks a compact JWT: resolves to its claims or why it was refused. Rejects only when the
 * keys cannot be had (a JWKS that does not answer): that is the server's failure, not the token's.
 */
export type JwtVerifier = (token: string) => Promise<VerifiedJwt | RefusedJwt>

type Key = Uint8Array | KeyObject | JWTVerifyGetKey

function keyOf(source: JwtVerifierOptions): { key: Key; algorithms: string[] } {
  const given = [source.secret, source.publicKey, source.jwksUrl].filter((v) => v !== undefined)
  if (given.length !== 1) throw new TypeError('give exactly one of secret, publicKey or jwksUrl')
  if (source.secret !== undefined) {
    const weak = secretStrengthProblem({ name: 'the JWT secret', value: source.secret })
    if (weak !== undefined) throw new TypeError(weak)
    return { key: new TextEncoder().encode(source.secret), algorithms: [...HMAC_ALGORITHMS] }
  }
  if (source.publicKey !== undefined) {
    const key =
      typeof source.publicKey === 'string' ? createPublicKey(source.publicKey) : source.publicKey
    // A private key would verify too, but has no business on a server that only checks.
    if (key.type !== 'public') throw new TypeError('the JWT public key must be a public key')
    return { key, algorithms: [...PUBLIC_KEY_ALGORITHMS] }
  }
  const url = new URL(source.jwksUrl as string | URL)
  const jwks = createRemoteJWKSet(url, {
    ...(source.jwksCacheMs !== undefined ? { cacheMaxAge: source.jwksCacheMs } : {}),
    ...(source.jwksCooldownMs !== undefined ? { cooldownDuration: source.jwksCooldownMs } : {}),
  })
  return { key: jwks, algorithms: [...PUBLIC_KEY_ALGORITHMS] }
}

function refusal(error: unknown): RefusedJwt {
  if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return { ok: false, reason: `claim ${error.claim}` }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'algorithm' }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return { ok: false, reason: 'signature' }
  }
  if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, reason: 'unknown key' }
  return { ok: false, reason: 'malformed' }
}

// Failures of fetching the key set, as opposed to failures of the token. jose reports a
// non-200 answer as a bare JOSEError, so "not one of the token's errors" is the test.
const isKeySetFailure = (error: unknown): boolean =>
  !(error instanceof errors.JOSEError) ||
  error.constructor === errors.JOSEError ||
  error instanceof errors.JWKSTimeout ||
  error instanceof errors.JWKSInvalid

/**
 * Builds a JWT verifier with `jose`: HS256/384/512 with a secret of at least 32 bytes, or
 * RS256, PS256, ES256 and EdDSA with a PEM public key or a JWKS URL (fetched on first use,
 * cached, and fetched again when a token names a key it does not have). `exp` is required;
 * `exp`, `nbf` and `iat` get {@link JWT_LEEWAY_SECONDS} of clock skew; `aud` and `iss` are
 * checked when configured. Throws `TypeError` on a weak secret or a missing/double key source.
 * @example
 * ```ts
 * const verify = createJwtVerifier({ jwksUrl: 'https://id.example/.well-known/jwks.json', audience: 'duet' })
 * ```
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const { key, algorithms } = keyOf(options)
  const verifyOptions = {
    algorithms,
    clockTolerance: JWT_LEEWAY_SECONDS,
    requiredClaims: ['exp'],
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
  }
  return async (token) => {
    if (token.length === 0 || token.length > MAX_AUTH_TOKEN_LENGTH) {
      return { ok: false, reason: 'malformed' }
    }
    try {
      // One call shape for the three key kinds: jose takes a key or a key-getting function.
      const { payload } =
        typeof key === 'function'
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key as Uint8Array | KeyObject, verifyOptions)
      const exp = payload.exp as number
      return { ok: true, claims: payload, expiresAt: (exp + JWT_LEEWAY_SECONDS) * 1000 }
    } catch (error) {
      if (typeof key === 'function' && isKeySetFailure(error)) throw error
      return refusal(error)
    }
  }
}
