import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Issues and checks the tokens that let a peer take its place back after a reconnect. */
export interface ResumeTokens {
  /** The token for a peer id in a room. */
  issue(roomId: string, peerId: string): string
  /** Whether `token` was issued (by a node sharing the secret) for this room and peer id. */
  verify(roomId: string, peerId: string, token: string): boolean
}

/**
 * Stateless resume tokens: base64url(HMAC-SHA256(secret, `roomId:peerId`)). Nothing is stored,
 * so any node holding the same secret can check a token another node issued.
 * Without a secret a random one is drawn, valid for this process only.
 */
export function createResumeTokens(secret: string | undefined): ResumeTokens {
  const key = secret ?? randomBytes(32).toString('base64')
  const issue = (roomId: string, peerId: string): string =>
    createHmac('sha256', key).update(`${roomId}:${peerId}`).digest('base64url')
  return {
    issue,
    verify(roomId, peerId, token) {
      const expected = Buffer.from(issue(roomId, peerId))
      const given = Buffer.from(token)
      // timingSafeEqual throws on a length mismatch; the length of a MAC is no secret.
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}
