import { type ClientToServerEvents, ErrorCode, type Failure, failure } from '@duet/core/protocol'
import type { Logger } from '../ops/logger'
import type { ServerMetrics } from '../ops/serverMetrics'
import type { AddressState } from './addressLimits'
import { Bucket, type RateLimit } from './rateLimit'

// Typed as a record over the protocol's events, so adding an event to the protocol without
// handling it here fails to compile.
const HANDLED: Record<keyof ClientToServerEvents, true> = {
  'room:join': true,
  'room:leave': true,
  'signal:send': true,
  'ice:refresh': true,
  'auth:refresh': true,
}

/** Whether a client event name is part of the protocol. */
export const isClientEvent = (event: unknown): event is keyof ClientToServerEvents =>
  typeof event === 'string' && Object.hasOwn(HANDLED, event)

/** A Socket.io per-socket middleware (`socket.use`). */
export type PacketMiddleware = (packet: unknown[], next: (error?: Error) => void) => void

/** What the guard needs from the server. */
export interface GuardContext {
  /** Messages per second and burst per socket; false for no limit. */
  rateLimit: RateLimit | false
  /** Counts refusals and unknown events. */
  metrics: ServerMetrics
  /** Receives ack failures. */
  logger: Logger
}

function answer(packet: unknown[], result: Failure, logger: Logger): void {
  const ack = packet.at(-1)
  if (typeof ack !== 'function') return
  try {
    ack(result)
  } catch (error) {
    logger.error('ack failed', { error })
  }
}

const limited = (packet: unknown[], message: string, logger: Logger): void =>
  answer(packet, failure(ErrorCode.RATE_LIMITED, message), logger)

/**
 * Makes each socket's packet check (the server builds one maker and calls it per socket): over
 * the socket's rate, or its address's (all its sockets together: requests, and joins apart), a
 * packet is answered `RATE_LIMITED` (if it has an ack) and dropped; an event the protocol does
 * not have is counted, answered `INVALID_PAYLOAD` (if it has an ack) and dropped. Either way
 * nothing else happens. Per socket it costs one bucket and one small closure.
 */
export function createGuard({
  rateLimit,
  metrics,
  logger,
}: GuardContext): (address: AddressState | undefined) => PacketMiddleware {
  return (address) => {
    const bucket = rateLimit ? new Bucket(rateLimit) : undefined
    return (packet, next) => {
      if (bucket !== undefined && !bucket.take()) {
        metrics.errors.inc({ code: ErrorCode.RATE_LIMITED })
        return limited(packet, 'too many messages, slow down', logger)
      }
      if (address?.requests !== undefined && !address.requests.take()) {
        metrics.errors.inc({ code: ErrorCode.RATE_LIMITED })
        metrics.limited.inc({ limit: 'requests-per-ip' })
        return limited(packet, 'too many messages from your address, slow down', logger)
      }
      if (!isClientEvent(packet[0])) {
        metrics.unknownEvents.inc()
        metrics.errors.inc({ code: ErrorCode.INVALID_PAYLOAD })
        return answer(packet, failure(ErrorCode.INVALID_PAYLOAD, 'unknown event'), logger)
      }
      if (packet[0] === 'room:join' && address?.joins !== undefined && !address.joins.take()) {
        metrics.errors.inc({ code: ErrorCode.RATE_LIMITED })
        metrics.limited.inc({ limit: 'joins-per-ip' })
        return limited(packet, 'too many joins from your address, slow down', logger)
      }
      next()
    }
  }
}
