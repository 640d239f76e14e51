import { createHash } from 'node:crypto'
import type { IncomingSignal } from '@duet/core/protocol'
import {
  DELIVER,
  FORGET,
  HOLD,
  JOIN,
  KEPT_PAGE,
  LEAVE,
  REFRESH,
  RESUME,
  SWEEP,
} from './redisScripts'
import type { Delivery, HeldBudgets, JoinOutcome, OwnedPlace, Place } from './roomStore'
import { MAILBOX_LIMIT, type ResumeOutcome, type RoomStore } from './roomStore'
import { withTimeout } from './withTimeout'

/** The one thing the store needs from a Redis client (node-redis fits). */
export interface RedisCommander {
  /** Sends a raw command and resolves with its reply. */
  sendCommand(args: string[]): Promise<unknown>
}

/** Options of {@link RedisRoomStore}. */
export interface RedisRoomStoreOptions {
  /**
   * How long a live peer's place survives its node without being renewed: a node that dies
   * (SIGKILL, power loss) cannot free its peers' places, so they lapse after this.
   */
  leaseMs: number
  /** Byte budgets for relays kept for away peers, shared by every node on the Redis. */
  budgets: HeldBudgets
  /**
   * Prefix of every key.
   * @default 'duet:'
   */
  prefix?: string
  /**
   * How long one command may take before the request fails with `INTERNAL`.
   * @default 2000
   */
  timeoutMs?: number
}

/** Most places freed by one sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 200

/**
 * Most places renewed by one script: a node with thousands of peers renews them in several
 * short scripts rather than one that blocks Redis (and every other node) for its whole length.
 */
export const REFRESH_BATCH = 100

/** Most kept relays in one page, whatever their size. */
const PAGE_COUNT = 64

const DELIVERIES = new Set<Delivery>([
  'live',
  'held',
  'gone',
  'missing',
  'mailbox-full',
  'room-full',
  'store-full',
])

const strings = (reply: unknown): string[] =>
  Array.isArray(reply) ? reply.map((item) => String(item)) : []

function parseSignal(text: string): IncomingSignal | undefined {
  try {
    return JSON.parse(text) as IncomingSignal
  } catch {
    return undefined
  }
}

/**
 * Room membership in Redis, shared by every node: each change is one Lua script, so capacity
 * holds across nodes (two joins racing for the last place on two nodes: exactly one wins).
 */
export class RedisRoomStore implements RoomStore {
  readonly #redis: RedisCommander
  readonly #prefix: string
  readonly #leaseMs: number
  readonly #timeoutMs: number
  readonly #budgets: string[]

  /**
   * @param redis a connected client used for nothing that blocks (no XREAD, no SUBSCRIBE)
   * @param options lease length, key prefix and command timeout
   */
  constructor(redis: RedisCommander, options: RedisRoomStoreOptions) {
    this.#redis = redis
    this.#prefix = options.prefix ?? 'duet:'
    this.#leaseMs = options.leaseMs
    this.#timeoutMs = options.timeoutMs ?? 2000
    const { mailboxBytes, roomBytes, storeBytes } = options.budgets
    this.#budgets = [String(mailboxBytes), String(roomBytes), String(storeBytes)]
  }

  async join({ roomId, peerId, socketId }: OwnedPlace, capacity: number): Promise<JoinOutcome> {
    const reply = strings(
      await this.#run(JOIN, [roomId, peerId, socketId, String(capacity), String(this.#leaseMs)]),
    )
    if (reply[0] !== 'ok') return { ok: false, reason: 'full' }
    return { ok: true, others: reply.slice(1) }
  }

  async resume(
    { roomId, peerId, socketId }: OwnedPlace,
    previousOwner: string,
  ): Promise<ResumeOutcome> {
    const args = [roomId, peerId, socketId, previousOwner, String(this.#leaseMs)]
    const reply = strings(await this.#run(RESUME, args))
    const [status, owner, kept] = reply
    if (status === 'expired' || status === 'taken') return { ok: false, reason: status }
    if (status !== 'ok' || owner === undefined || kept === undefined) {
      return { ok: false, reason: 'missing' }
    }
    return {
      ok: true,
      replaced: owner === socketId ? undefined : owner,
      others: reply.slice(3),
      kept: kept === '1',
    }
  }

  async keptPage(
    { roomId, peerId, socketId }: OwnedPlace,
    maxBytes: number,
  ): Promise<IncomingSignal[] | undefined> {
    const args = [roomId, peerId, socketId, String(maxBytes), String(PAGE_COUNT)]
    const reply = strings(await this.#run(KEPT_PAGE, args))
    if (reply[0] !== 'ok') return undefined
    return reply
      .slice(1)
      .map(parseSignal)
      .filter((signal) => signal !== undefined)
  }

  async forgetKept({ roomId, peerId, socketId }: OwnedPlace, count: number): Promise<number> {
    return Number(await this.#run(FORGET, [roomId, peerId, socketId, String(count)]))
  }

  async hold({ roomId, peerId, socketId }: OwnedPlace, ms: number): Promise<boolean> {
    return Number(await this.#run(HOLD, [roomId, peerId, socketId, String(ms)])) === 1
  }

  async leave({ roomId, peerId, socketId }: OwnedPlace): Promise<boolean> {
    return Number(await this.#run(LEAVE, [roomId, peerId, socketId])) === 1
  }

  async deliver(sender: OwnedPlace, to: string, message: IncomingSignal): Promise<Delivery> {
    const { roomId, peerId, socketId } = sender
    const json = JSON.stringify(message)
    const args = [roomId, peerId, socketId, to, json, String(MAILBOX_LIMIT), ...this.#budgets]
    const reply = String(await this.#run(DELIVER, args)) as Delivery
    return DELIVERIES.has(reply) ? reply : 'missing'
  }

  async refresh(places: readonly OwnedPlace[]): Promise<void> {
    for (let start = 0; start < places.length; start += REFRESH_BATCH) {
      const args = [String(this.#leaseMs)]
      for (const { roomId, peerId, socketId } of places.slice(start, start + REFRESH_BATCH)) {
        args.push(roomId, peerId, socketId)
      }
      await this.#run(REFRESH, args)
    }
  }

  async sweep(): Promise<Place[]> {
    return strings(await this.#run(SWEEP, [String(SWEEP_BATCH)])).map((entry) => {
      const space = entry.indexOf(' ')
      return { roomId: entry.slice(0, space), peerId: entry.slice(space + 1) }
    })
  }

  async check(): Promise<void> {
    const reply = await this.#timed(this.#redis.sendCommand(['PING']))
    if (reply !== 'PONG') throw new Error(`unexpected PING reply: ${String(reply)}`)
  }

  async close(): Promise<void> {
    // The client belongs to whoever passed it in.
  }

  // EVALSHA saves sending the script every time; Redis forgets scripts on restart, so a
  // NOSCRIPT reply falls back to EVAL (which caches it again).
  async #run(script: string, args: string[]): Promise<unknown> {
    const sha = digest(script)
    const argv = ['0', this.#prefix, ...args]
    try {
      return await this.#timed(this.#redis.sendCommand(['EVALSHA', sha, ...argv]))
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return this.#timed(this.#redis.sendCommand(['EVAL', script, ...argv]))
    }
  }

  #timed<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(
      promise,
      this.#timeoutMs,
      `redis did not answer within ${this.#timeoutMs} ms`,
    )
  }
}

const digests = new Map<string, string>()

function digest(script: string): string {
  let sha = digests.get(script)
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex')
    digests.set(script, sha)
  }
  return sha
}
