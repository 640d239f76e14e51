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
  /** Who connected, for the logs (e.g. a user id). */
  subject?: string
}

/**
 * Decides whether a connection may in: an `AuthResult` to let it in, `false` to refuse it with
 * `UNAUTHORIZED`. Runs once per connection (not again when Socket.io recovers a session).
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
}
