import type { Socket } from 'socket.io'

/** What a client sent when it connected: headers, query, `auth` payload, address. */
export type Handshake = Socket['handshake']

/** Who a connection belongs to and where it may go. */
export interface AuthResult {
  /**
   * Rooms this connection may join: a list of room ids, or `'*'` for any.
   * @default '*'
   */
  rooms?: readonly string[] | '*'
  /** Who connected (e.g. a user id): logged, and only this subject may resume its places. */
  subject?: string
  /**
   * When this authentication runs out (ms since epoch): the connection is told `auth:expiring`
   * shortly before, and disconnected then unless it sends `auth:refresh` with a fresh token.
   * @default never
   */
  expiresAt?: number
}

/**
 * Decides whether a connection may in: an `AuthResult` to let it in, `false` to refuse it with
 * `UNAUTHORIZED`. Runs once per connection (not again when Socket.io recovers a session), and
 * again on `auth:refresh` with the handshake's `auth.token` replaced by the fresh token.
 * @example
 * ```ts
 * createSignalingServer({
 *   authenticate: async ({ auth }) => {
 *     const user = await sessions.lookup(auth.token)
 *     return user ? { subject: user.id, rooms: user.rooms } : false
 *   },
 * })
 * ```
 */
export type Authenticate = (
  handshake: Handshake,
) => Promise<AuthResult | false> | AuthResult | false

/** What the server keeps about an authenticated connection, on `socket.data`. */
export interface Grant {
  /** Rooms the connection may join, `'*'` for any. */
  rooms: string[] | '*'
  /** Who connected, if known. */
  subject?: string
  /** When the authentication runs out (ms since epoch), if it does. */
  expiresAt?: number
}
