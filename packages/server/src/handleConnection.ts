import type { Ack, IceRefreshResult, JoinResult } from '@duet/core/protocol'
import { createGuard } from './guard'
import type { Logger } from './logger'
import type { PeerOperations } from './peers'
import type { RateLimit } from './rateLimit'
import { type RequestContext, request } from './request'
import { createSerial } from './serial'
import type { SignalingSocket } from './server.types'
import type { ServerMetrics } from './serverMetrics'

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
}

/**
 * Builds the `connection` listener: every packet through the guard (rate limit, known events),
 * then each socket's requests one at a time, in order, with its disconnect queued behind them.
 */
export function handleConnection(context: ConnectionContext): (socket: SignalingSocket) => void {
  const { peers, logger, metrics, track } = context

  return (socket) => {
    const serial = createSerial()
    const requests: RequestContext = {
      logger,
      metrics,
      serial: (task) => {
        const run = serial(task)
        track(run)
        return run
      },
    }
    socket.use(createGuard({ rateLimit: context.rateLimit, metrics, logger }))

    // Queued first: requests that arrive meanwhile wait until the place is back.
    if (socket.recovered && socket.data.membership) {
      void requests
        .serial(() => peers.recover(socket))
        .catch((error: unknown) => {
          logger.error('recovery failed', { error })
        })
    }

    socket.on(
      'room:join',
      request<Extract<JoinResult, { ok: true }>>('room:join', requests, (payload, info) =>
        peers.join(socket, payload, info),
      ),
    )
    socket.on(
      'room:leave',
      request<Extract<Ack, { ok: true }>>('room:leave', requests, () => peers.leave(socket)),
    )
    socket.on(
      'signal:send',
      request<Extract<Ack, { ok: true }>>('signal:send', requests, (payload, info) =>
        peers.relay(socket, payload, info),
      ),
    )
    socket.on(
      'ice:refresh',
      request<Extract<IceRefreshResult, { ok: true }>>('ice:refresh', requests, () =>
        peers.refreshIce(socket),
      ),
    )

    socket.on('disconnect', (reason) => {
      void requests
        .serial(() => peers.depart(socket, reason))
        .catch((error: unknown) => {
          logger.error('disconnect cleanup failed', { error })
        })
    })
  }
}
