import type { Ack, AuthRefreshSuccess, IceRefreshResult, JoinResult } from '@duet/core/protocol'
import { type ExpiryWatch, refreshAuth } from '../auth/authSession'
import type { Authenticate } from '../auth/authTypes'
import type { Logger } from '../ops/logger'
import type { ServerMetrics } from '../ops/serverMetrics'
import type { SignalingSocket } from '../serverTypes'
import type { AddressLimits } from './addressLimits'
import { createGuard } from './guard'
import type { PeerOperations } from './peerOperations'
import type { RateLimit } from './rateLimit'
import { type RequestContext, request } from './request'
import { Serial, type SerialHooks } from './serial'

// A socket's queue lives on the socket: a WeakMap of ten thousand sockets is an ephemeron table
// that every major GC has to iterate to a fixed point, lengthening the pause every relay waits on.
const SERIAL = Symbol('duet.serial')
type QueuedSocket = SignalingSocket & { [SERIAL]?: Serial }
const serialOf = (socket: SignalingSocket): Serial | undefined => (socket as QueuedSocket)[SERIAL]

/** What the connection handler needs from the server that owns it. */
export interface ConnectionContext {
  /** The peer operations the events map to. */
  peers: PeerOperations
  /** Per-socket token bucket, or false for none. */
  rateLimit: RateLimit | false
  /** Receives failures of recovery and disconnect cleanup. */
  logger: Logger
  /** Shared by every socket's guard and requests. */
  metrics: ServerMetrics
  /** Keeps track of work in flight, so closing can wait for it. */
  track(work: Promise<unknown>): void
  /** The connection check `auth:refresh` runs again on a fresh token; undefined without auth. */
  authenticate: Authenticate | undefined
  /** Disconnects sockets whose token runs out. */
  expiry: ExpiryWatch
  /** Per-address limits; the guard takes from the buckets of the socket's address. */
  addresses: AddressLimits
}

/**
 * Builds the `connection` listener: every packet through the guard (rate limit, known events),
 * then each socket's requests one at a time, in order, with its disconnect queued behind them.
 * The listeners are built once and shared by every socket (Socket.io hands them the socket as
 * `this`); what a socket owns is its queue and its guard, so thousands of idle sockets cost
 * little.
 */
export function handleConnection(context: ConnectionContext): (socket: SignalingSocket) => void {
  const { peers, logger, metrics, track, expiry } = context
  const hooks: SerialHooks = {
    track,
    failed: (error) => logger.error('request failed', { error }),
  }
  const requests: RequestContext = { logger, metrics, serialOf }
  const guard = createGuard({ rateLimit: context.rateLimit, metrics, logger })

  const onJoin = request<Extract<JoinResult, { ok: true }>>('room:join', requests, peers.join)
  const onLeave = request<Extract<Ack, { ok: true }>>('room:leave', requests, peers.leave)
  const onSignal = request<Extract<Ack, { ok: true }>>('signal:send', requests, peers.relay)
  const onIceRefresh = request<Extract<IceRefreshResult, { ok: true }>>(
    'ice:refresh',
    requests,
    peers.refreshIce,
  )
  const onAuthRefresh = request<AuthRefreshSuccess>(
    'auth:refresh',
    requests,
    refreshAuth(context.authenticate, expiry, logger),
  )
  function onDisconnect(this: SignalingSocket, reason: string): void {
    expiry.cancel(this)
    serialOf(this)?.run(() =>
      peers.depart(this, reason).catch((error: unknown) => {
        logger.error('disconnect cleanup failed', { error })
      }),
    )
  }

  return (socket) => {
    const serial = new Serial(hooks)
    ;(socket as QueuedSocket)[SERIAL] = serial
    socket.use(guard(context.addresses.of(socket.conn)))

    // Queued first: requests that arrive meanwhile wait until the place is back.
    if (socket.recovered && socket.data.membership) {
      serial.run(() =>
        peers.recover(socket).catch((error: unknown) => {
          logger.error('recovery failed', { error })
        }),
      )
    }

    socket.on('room:join', onJoin)
    socket.on('room:leave', onLeave)
    socket.on('signal:send', onSignal)
    socket.on('ice:refresh', onIceRefresh)
    socket.on('auth:refresh', onAuthRefresh)
    socket.on('disconnect', onDisconnect)
    // After the listeners: an already expired grant (a recovered session) disconnects at once.
    expiry.schedule(socket)
  }
}
