import { ErrorCode } from '@duet/core/protocol'
import type { ExtendedError } from 'socket.io'
import type { Logger } from '../ops/logger'
import type { SignalingSocket } from '../serverTypes'
import type { Authenticate, Grant } from './authTypes'
import { verifyHs256 } from './jwt'

/**
 * The built-in `--jwt-secret` check: `handshake.auth.token` must be an HS256 token signed with
 * the secret, unexpired, with a `rooms` claim (`'*'` or a list of room ids); `sub` is logged.
 */
export function jwtAuthenticator(secret: string, logger: Logger): Authenticate {
  return (handshake) => {
    const token: unknown = handshake.auth.token
    if (typeof token !== 'string') return false
    const result = verifyHs256(token, secret)
    if (!result.ok) {
      logger.debug('token refused', { reason: result.reason, address: handshake.address })
      return false
    }
    const { rooms, sub } = result.claims
    const subject = typeof sub === 'string' ? sub : undefined
    if (rooms === '*') return { rooms: '*', subject }
    if (Array.isArray(rooms) && rooms.every((room) => typeof room === 'string')) {
      return { rooms, subject }
    }
    // A token that names no rooms lets its holder do nothing: refuse it at the door.
    logger.debug('token has no rooms claim', { subject })
    return false
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
          const rooms = result.rooms === undefined || result.rooms === '*' ? '*' : [...result.rooms]
          const grant: Grant = { rooms, ...(result.subject ? { subject: result.subject } : {}) }
          socket.data.grant = grant
          next()
        },
        (error: unknown) => {
          logger.error('authenticate failed', { error })
          next(refusal(ErrorCode.INTERNAL, 'internal server error'))
        },
      )
  }
}
