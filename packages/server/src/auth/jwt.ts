import { createHmac, timingSafeEqual } from 'node:crypto'
import { MAX_TOKEN_LENGTH } from '@duet/core/protocol'

/** The claims of a verified token this server reads; others are kept as they are. */
export interface JwtClaims {
  /** Who holds the token (logged). */
  sub?: string
  /** Expiry, seconds since epoch. */
  exp?: number
  /** Not valid before, seconds since epoch. */
  nbf?: number
  /** Rooms the holder may join, or `'*'` for any. */
  rooms?: unknown
  /** Any other claim. */
  [claim: string]: unknown
}

/** Why a token was refused, for the server's logs (the client only learns UNAUTHORIZED). */
export type JwtRefusal = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not yet valid'

/** A verified token's claims, or why it was refused. */
export type JwtResult = { ok: true; claims: JwtClaims } | { ok: false; reason: JwtRefusal }

const BASE64URL = /^[A-Za-z0-9_-]*$/

function decodeJson(part: string): unknown {
  if (!BASE64URL.test(part)) return undefined
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Verifies a compact HS256 JSON Web Token (RFC 7519) with a shared secret: the header must say
 * `HS256` (never `none` or another algorithm), the signature must match, `exp` must lie ahead
 * and `nbf`, if present, behind.
 */
export function verifyHs256(token: string, secret: string, nowMs: number = Date.now()): JwtResult {
  if (token.length > MAX_TOKEN_LENGTH * 4) return { ok: false, reason: 'malformed' }
  const parts = token.split('.')
  if (parts.length !== 3) return { ok: false, reason: 'malformed' }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = decodeJson(headerPart)
  if (!isObject(header)) return { ok: false, reason: 'malformed' }
  if (header.alg !== 'HS256') return { ok: false, reason: 'algorithm' }
  if (!BASE64URL.test(signaturePart)) return { ok: false, reason: 'signature' }
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest()
  const given = Buffer.from(signaturePart, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature' }
  }
  const claims = decodeJson(payloadPart)
  if (!isObject(claims)) return { ok: false, reason: 'malformed' }
  const now = nowMs / 1000
  // Tokens without an expiry would be valid forever once leaked: require one.
  if (typeof claims.exp !== 'number' || !(claims.exp > now)) return { ok: false, reason: 'expired' }
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now)) {
    return { ok: false, reason: 'not yet valid' }
  }
  return { ok: true, claims: claims as JwtClaims }
}

/** Signs claims as a compact HS256 token; for tests and token-issuing backends. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}
