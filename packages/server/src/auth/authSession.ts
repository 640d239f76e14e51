import {
  type AuthRefreshSuccess,
  ErrorCode,
  type Failure,
  failure,
  parseAuthRefresh,
} from '@duet/core/protocol'
import type { Logger } from '../ops/logger'
import type { SignalingSocket } from '../serverTypes'
import { mayJoin, toGrant } from './authenticate'
import type { Authenticate, Grant } from './authTypes'

/** At most this long before its token expires, a connection is told to refresh it (ms). */
export const EXPIRY_NOTICE_MS = 60_000

// setTimeout fires at once past 2^31-1 ms (~24.8 days); longer waits are taken in steps.
const LONGEST_TIMER_MS = 2 ** 31 - 1

/** Whether a connection's authentication has run out (a grant without expiry never does). */
export function grantExpired(grant: Grant | undefined, now: number = Date.now()): boolean {
  return grant?.expiresAt !== undefined && grant.expiresAt <= now
}

/** Disconnects sockets whose token expires, after warning them to refresh it. */
export interface ExpiryWatch {
  /** (Re)starts the watch of a socket from its current grant. */
  schedule(socket: SignalingSocket): void
  /** Stops watching a socket (it disconnected). */
  cancel(socket: SignalingSocket): void
}

/**
 * Per socket with an expiring grant: `auth:expiring` shortly before the expiry (a minute, or
 * half the remaining life when that is shorter), then at the expiry `auth:expired` and a
 * disconnect, which frees its place at once: a connection may not outlive its authentication.
 */
export function createExpiryWatch(logger: Logger): ExpiryWatch {
  const timers = new Map<SignalingSocket, NodeJS.Timeout[]>()
  const later = (ms: number, task: () => void): NodeJS.Timeout => {
    const timer = setTimeout(task, Math.min(Math.max(ms, 0), LONGEST_TIMER_MS))
    // A timer must not keep a closing process alive; disconnects clear them anyway.
    timer.unref()
    return timer
  }

  function cancel(socket: SignalingSocket): void {
    for (const timer of timers.get(socket) ?? []) clearTimeout(timer)
    timers.delete(socket)
  }

  function expire(socket: SignalingSocket): void {
    timers.delete(socket)
    if (!grantExpired(socket.data.grant)) {
      schedule(socket)
      return
    }
    logger.info('token expired', { subject: socket.data.grant?.subject })
    socket.emit('auth:expired')
    socket.disconnect(true)
  }

  function schedule(socket: SignalingSocket): void {
    cancel(socket)
    const expiresAt = socket.data.grant?.expiresAt
    if (expiresAt === undefined || !socket.connected) return
    const remaining = expiresAt - Date.now()
    if (remaining <= 0) {
      expire(socket)
      return
    }
    const lead = Math.min(EXPIRY_NOTICE_MS, remaining / 2)
    const owned: NodeJS.Timeout[] = [later(remaining, () => expire(socket))]
    if (remaining - lead < LONGEST_TIMER_MS) {
      owned.push(later(remaining - lead, () => socket.emit('auth:expiring', { expiresAt })))
    }
    timers.set(socket, owned)
  }

  return { schedule, cancel }
}

/**
 * `auth:refresh`: runs the connection's authentication again on the fresh token. The new grant
 * must be for the same subject and still allow the room the socket is in; then it replaces the
 * old one and the expiry watch starts over. A refused token changes nothing (the old one still
 * runs out when it does). Without authentication there is nothing to refresh: `{ ok: true }`.
 */
export function refreshAuth(
  authenticate: Authenticate | undefined,
  expiry: ExpiryWatch,
  logger: Logger,
): (socket: SignalingSocket, payload: unknown) => Promise<AuthRefreshSuccess | Failure> {
  return async (socket, payload) => {
    const parsed = parseAuthRefresh(payload)
    if (!parsed.ok) return parsed
    if (!authenticate) return { ok: true }
    const handshake = {
      ...socket.handshake,
      auth: { ...socket.handshake.auth, token: parsed.value.token },
    }
    const result = await authenticate(handshake)
    if (!result) return failure(ErrorCode.UNAUTHORIZED, 'invalid token')
    const grant = toGrant(result)
    const current = socket.data.grant
    if (grant.subject !== current?.subject) {
      logger.warn('token refresh for another subject', {
        subject: current?.subject,
        offered: grant.subject,
      })
      return failure(ErrorCode.UNAUTHORIZED, 'the token is for another subject')
    }
    const membership = socket.data.membership
    if (membership && !mayJoin(grant, membership.roomId)) {
      return failure(ErrorCode.UNAUTHORIZED, 'the token does not allow your room')
    }
    socket.data.grant = grant
    expiry.schedule(socket)
    return { ok: true, ...(grant.expiresAt !== undefined ? { expiresAt: grant.expiresAt } : {}) }
  }
}
