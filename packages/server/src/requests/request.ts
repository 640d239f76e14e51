import { ErrorCode, type Failure, failure } from '@duet/core/protocol'
import type { Logger } from '../ops/logger'
import type { ServerMetrics } from '../ops/serverMetrics'
import type { SignalingSocket } from '../serverTypes'
import type { Serial } from './serial'

/**
 * A socket.io listener taking whatever the client sent: types validate nothing on the wire.
 * Socket.io calls it with the socket as `this`, so one listener serves every socket.
 */
export type RawListener = (this: SignalingSocket, ...args: unknown[]) => void

/** What a handler learns about its request besides the payload. */
export interface RequestInfo {
  /** `performance.now()` when the request arrived, before it waited in the socket's queue. */
  readonly receivedAt: number
  /** Runs `task` right after the ack is sent, so what it emits reaches the client after it. */
  afterAck(task: () => void): void
}

/**
 * A request handler: the payload (absent for payload-less events) in, the ack's result out.
 * Handlers answer synchronously when they can: the in-memory store needs no await, so neither
 * does a relay over it.
 */
export type RequestHandler<Result> = (
  socket: SignalingSocket,
  payload: unknown,
  info: RequestInfo,
) => Promise<Result | Failure> | Result | Failure

/** What every request of one socket shares. */
export interface RequestContext {
  /** Receives handler failures. */
  logger: Logger
  /** Counts error acks by code. */
  metrics: ServerMetrics
  /** A socket's queue, where its requests run one at a time, in arrival order. */
  serialOf(socket: SignalingSocket): Serial | undefined
}

// Kept generic on purpose: a stack trace or internal message would tell a client about the
// server's insides; the details go to the logger instead.
const INTERNAL_MESSAGE = 'internal server error'

type Ack<Result> = (result: Result | Failure) => void

// A class rather than a closure per request: one small object on the relay path.
class Request<Result extends { ok: true }> implements RequestInfo {
  #after: (() => void)[] | undefined

  constructor(
    readonly event: string,
    readonly receivedAt: number,
    readonly ack: Ack<Result>,
    readonly context: RequestContext,
  ) {}

  afterAck(task: () => void): void {
    this.#after ??= []
    this.#after.push(task)
  }

  /** Runs the handler; returns a promise only when the handler did. */
  handle(
    handler: RequestHandler<Result>,
    socket: SignalingSocket,
    payload: unknown,
  ): void | Promise<void> {
    let result: Promise<Result | Failure> | Result | Failure
    try {
      result = handler(socket, payload, this)
    } catch (error) {
      return this.answer(this.internal(error))
    }
    if (result instanceof Promise) {
      return result.then(
        (settled) => this.answer(settled),
        (error: unknown) => this.answer(this.internal(error)),
      )
    }
    this.answer(result)
  }

  internal(error: unknown): Failure {
    this.context.logger.error(`${this.event} handler failed`, { error })
    return failure(ErrorCode.INTERNAL, INTERNAL_MESSAGE)
  }

  answer(result: Result | Failure): void {
    if (!result.ok) this.context.metrics.errors.inc({ code: result.error.code })
    try {
      this.ack(result)
      if (this.#after) for (const task of this.#after) task()
    } catch (error) {
      // socket.io's ack only queues a packet; guard anyway so a transport quirk stays contained.
      this.context.logger.error(`${this.event} ack failed`, { error })
    }
  }
}

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
  return function listener(...args) {
    const receivedAt = performance.now()
    const last = args[args.length - 1]
    if (typeof last !== 'function') return
    const serial = context.serialOf(this)
    if (serial === undefined) return
    const pending = new Request<Result>(event, receivedAt, last as Ack<Result>, context)
    // The payload is the first argument unless that is the ack itself (`room:leave`).
    const payload = args.length > 1 ? args[0] : undefined
    serial.run(() => pending.handle(handler, this, payload))
  }
}
