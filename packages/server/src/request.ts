import { ErrorCode, type Failure, failure } from '@duet/core/protocol'
import type { Logger } from './logger'

/** A socket.io listener taking whatever the client sent: types validate nothing on the wire. */
export type RawListener = (...args: unknown[]) => void

/** What a request handler receives: the payload (absent for payload-less events). */
export type RequestHandler<Result> = (payload: unknown) => Result

// Kept generic on purpose: a stack trace or internal message would tell a client about the
// server's insides; the details go to the logger instead.
const INTERNAL_MESSAGE = 'internal server error'

/**
 * Wraps a request handler into a listener that survives anything a client sends:
 * - the ack is the last argument only if it is a function; without one the request is refused
 *   unanswered and changes nothing (a client that cannot learn the result must not hold a slot);
 * - a handler that throws is answered `INTERNAL` and logged, never crashes the process.
 */
export function request<Result>(
  event: string,
  logger: Logger,
  handler: RequestHandler<Result>,
): RawListener {
  return (...args) => {
    const last = args.at(-1)
    if (typeof last !== 'function') return
    const ack = last as (result: Result | Failure) => void
    // The payload is the first argument unless that is the ack itself (`room:leave`).
    const payload = args.length > 1 ? args[0] : undefined
    let result: Result | Failure
    try {
      result = handler(payload)
    } catch (error) {
      logger.error(`${event} handler failed`, { error })
      result = failure(ErrorCode.INTERNAL, INTERNAL_MESSAGE)
    }
    try {
      ack(result)
    } catch (error) {
      // socket.io's ack only queues a packet; guard anyway so a transport quirk stays contained.
      logger.error(`${event} ack failed`, { error })
    }
  }
}
