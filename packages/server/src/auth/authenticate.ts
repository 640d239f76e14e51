import { ErrorCode } from '@duet/core/protocol'
import type { ExtendedError } from 'socket.io'
import type { Logger } from '../ops/logger'
import type { SignalingSocket } from '../serverTypes'
import type { Authenticate, AuthResult, Grant } from './authTypes'
import { createJwtVerifier, type JwtVerifierOptions } from './jwtVerifier'

/**
 * The built-in JWT check (`--jwt-secret`, `--jwt-public-key` or `--jwks-url`):
 * `handshake.auth.token` must verify (see `createJwtVerifier`) and carry a `rooms` claim (`'*'`
 * or a list of room ids); `sub` is the subject, and `exp` (plus the leeway) when it runs out.
 * Throws `TypeError` on a weak secret or a missing key.
 */
export function jwtAuthenticator(options: JwtVerifierOptions, logger: Logger): Authenticate {
  const verify = createJwtVerifier(options)
  return async (handshake) => {
    const token: unknown = handshake.auth.token
    if (typeof token !== 'string') return false
    const result = await verify(token)
    if (!result.ok) {
      logger.debug('token refused', { reason: result.reason, address: handshake.address })
      return false
    }
    const { rooms, sub } = result.claims as { rooms?: unknown; sub?: unknown }
    const subject = typeof sub === 'string' ? sub : undefined
    const { expiresAt } = result
    if (rooms === '*') return { rooms: '*', subject, expiresAt }
    if (Array.isArray(rooms) && rooms.every((room) => typeof room === 'string')) {
      return { rooms, subject, expiresAt }
    }
    // A token that names no rooms lets its holder do nothing: refuse it at the door.
    logger.debug('token has no rooms claim', { subject })
    return false
  }
}

/** The grant an authentication result stands for, as kept on `socket.data`. */
export function toGrant(result: AuthResult): Grant {
  return {
    rooms: result.rooms === undefined || result.rooms === '*' ? '*' : [...result.rooms],
    ...(result.subject ? { subject: result.subject } : {}),
    ...(result.expiresAt !== undefined ? { expiresAt: result.expiresAt } : {}),
  }
}

/** Whether a grant lets its connection into a room. */
export function mayJoin(grant: Grant | undefined, roomId: string): boolean {
  if (!grant || grant.rooms === '*') return true
  return grant.rooms.includes(roomId)
}

/** The error a refused connection gets: clients read `err.data.code`. */
function refusal(code: ErrorCode, message: string): ExtendedError {
  return Object.assign(new Error(message), { data: { code } })
}

/** A socket.io connection middleware running `authenticate` and storing the grant. */
export function authMiddleware(
  authenticate: Authenticate,
  logger: Logger,
): (socket: SignalingSocket, next: (error?: ExtendedError) => void) => void {
  return (socket, next) => {
    Promise.resolve()
      .then(() => authenticate(socket.handshake))
      .then(
        (result) => {
          if (!result) return next(refusal(ErrorCode.UNAUTHORIZED, 'unauthorized'))
          socket.data.grant = toGrant(result)
          next()
        },
        (error: unknown) => {
          logger.error('authenticate failed', { error })
          next(refusal(ErrorCode.INTERNAL, 'internal server error'))
        },
      )
  }
}
