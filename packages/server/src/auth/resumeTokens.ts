import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** What a resume token stands for: a place, the socket owning it when issued, and who held it. */
export interface ResumeGrant {
  /** The room. */
  roomId: string
  /** The peer id in that room. */
  peerId: string
  /** The socket that owned the place when the token was issued. */
  owner: string
  /** The authenticated subject of that socket, if any: only the same subject may resume. */
  subject: string | undefined
}

/** A checked token: the owner it was issued to, or why it is refused. */
export type ResumeCheck = { ok: true; owner: string } | { ok: false; reason: 'invalid' | 'expired' }

/** Issues and checks the tokens that let a peer take its place back after a reconnect. */
export interface ResumeTokens {
  /** A token for this place, valid until the lifetime runs out. */
  issue(grant: ResumeGrant): string
  /**
   * Checks a token presented for a place by a connection of `subject`: valid, unexpired, and
   * issued for this room, peer and subject. Returns the owner it was issued to; the store then
   * hands the place over only if that socket still owns it, so each token works once.
   */
  verify(place: Omit<ResumeGrant, 'owner'>, token: string): ResumeCheck
}

/** How long a resume token stays valid after it was issued, in ms (one day). */
export const DEFAULT_RESUME_TOKEN_TTL_MS = 86_400_000

// A token is `<expiry s>.<owner socket id>.<mac>`; socket ids never contain a dot.
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/

/**
 * Stateless resume tokens: base64url(HMAC-SHA256(secret, version, room, peer, owner, subject,
 * expiry)). Nothing is stored, so any node holding the same secret checks a token another node
 * issued. Binding the owning socket id makes every token single-use: a resume moves the place to
 * a new socket, and the old token names a socket that no longer owns it.
 * Without a secret a random one is drawn, valid for this process only.
 */
export function createResumeTokens(
  secret: string | undefined,
  ttlMs: number = DEFAULT_RESUME_TOKEN_TTL_MS,
  now: () => number = Date.now,
): ResumeTokens {
  const key = secret ?? randomBytes(32).toString('base64')
  const mac = (place: Omit<ResumeGrant, 'owner'>, owner: string, expiry: string): Buffer =>
    createHmac('sha256', key)
      // JSON keeps the fields apart: no room id can be crafted to shift into the peer id.
      .update(
        JSON.stringify([
          'duet-resume-2',
          place.roomId,
          place.peerId,
          owner,
          place.subject ?? null,
          expiry,
        ]),
      )
      .digest()
  return {
    issue(grant) {
      const expiry = String(Math.ceil((now() + ttlMs) / 1000))
      return `${expiry}.${grant.owner}.${mac(grant, grant.owner, expiry).toString('base64url')}`
    },
    verify(place, token) {
      const match = TOKEN.exec(token)
      if (!match) return { ok: false, reason: 'invalid' }
      const [, expiry, owner, signature] = match as unknown as [string, string, string, string]
      const given = Buffer.from(signature, 'base64url')
      const expected = mac(place, owner, expiry)
      // Both are 32 bytes (the pattern fixes the length); the comparison takes constant time.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'invalid' }
      }
      if (Number(expiry) * 1000 <= now()) return { ok: false, reason: 'expired' }
      return { ok: true, owner }
    },
  }
}
