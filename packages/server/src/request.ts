import { ErrorCode, type Failure, failure } from '@duet/core/protocol'
import type { Logger } from './logger'
import type { Serial } from './serial'
import type { ServerMetrics } from './serverMetrics'

/** A socket.io listener taking whatever the client sent: types validate nothing on the wire. */
export type RawListener = (...args: unknown[]) => void

/** What a handler learns about its request besides the payload. */
export interface RequestInfo {
  /** `performance.now()` when the request arrived, before it waited in the socket's queue. */
  receivedAt: number
  /** Runs `task` right after the ack is sent, so what it emits reaches the client after it. */
  afterAck(task: () => void): void
}

/** A request handler: the payload (absent for payload-less events) in, the ack's result out. */
export type RequestHandler<Result> = (
  payload: unknown,
  info: RequestInfo,
) => Promise<Result | Failure> | Result | Failure

/** What every request of one socket shares. */
export interface RequestContext {
  /** Receives handler failures. */
  logger: Logger
  /** Counts error acks by code. */
  metrics: ServerMetrics
  /** The socket's queue: its requests run one at a time, in arrival order. */
  serial: Serial
}

// Kept generic on purpose: a stack trace or internal message would tell a client about the
// server's insides; the details go to the logger instead.
const INTERNAL_MESSAGE = 'internal server error'

/**
 * Wraps a request handler into a listener that survives anything a client sends:
 * - the ack is the last argument only if it is a function; without one the request is refused
 *   unanswered and changes nothing (a client that cannot learn the result must not hold a slot);
 * - requests of one socket run one at a time, in order, even when a handler awaits the store;
 * - a handler that throws or rejects is answered `INTERNAL` and logged, never crashes the process;
 * - every error ack is counted by code.
 */
export function request<Result extends { ok: true }>(
  event: string,
  context: RequestContext,
  handler: RequestHandler<Result>,
): RawListener {
  const { logger, metrics, serial } = context
  return (...args) => {
    const receivedAt = performance.now()
    const last = args.at(-1)
    if (typeof last !== 'function') return
    const ack = last as (result: Result | Failure) => void
    // The payload is the first argument unless that is the ack itself (`room:leave`).
    const payload = args.length > 1 ? args[0] : undefined
    void serial(async () => {
      const after: (() => void)[] = []
      const info: RequestInfo = { receivedAt, afterAck: (task) => after.push(task) }
      let result: Result | Failure
      try {
        result = await handler(payload, info)
      } catch (error) {
        logger.error(`${event} handler failed`, { error })
        result = failure(ErrorCode.INTERNAL, INTERNAL_MESSAGE)
      }
      if (!result.ok) metrics.errors.inc({ code: result.error.code })
      try {
        ack(result)
        for (const task of after) task()
      } catch (error) {
        // socket.io's ack only queues a packet; guard anyway so a transport quirk stays contained.
        logger.error(`${event} ack failed`, { error })
      }
    })
  }
}
