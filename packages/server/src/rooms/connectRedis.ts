import { createClient } from '@redis/client'
import { createAdapter } from '@socket.io/redis-streams-adapter'
import type { Logger } from '../ops/logger'
import { RedisRoomStore } from './redisRoomStore'
import type { HeldBudgets } from './roomStore'
import { withTimeout } from './withTimeout'

/** Redis wiring of one node: the Socket.io adapter, the room store and their connections. */
export interface RedisBackend {
  /** Room membership shared by every node. */
  store: RedisRoomStore
  /**
   * Resolves with the Socket.io adapter (Redis Streams) once both connections are up; rejects
   * if Redis cannot be reached in time. The adapter only exists after a successful connection:
   * its own duplicated connections would otherwise retry forever after a failed start.
   */
  connected: Promise<StreamsAdapter>
  /** Waits for pending writes (such as recovery sessions) and closes the connections. */
  close(): Promise<void>
}

/** The Socket.io adapter factory of the Redis Streams adapter. */
export type StreamsAdapter = ReturnType<typeof createAdapter>

/** Options of {@link connectRedis}. */
export interface RedisBackendOptions {
  /** Lease of a live peer's place, see `RedisRoomStoreOptions.leaseMs`. */
  leaseMs: number
  /** Byte budgets of kept relays, see `RedisRoomStoreOptions.budgets`. */
  budgets: HeldBudgets
  /** Where connection trouble is reported. */
  logger: Logger
  /**
   * How long the first connection may take before `connected` rejects.
   * @default 10000
   */
  connectTimeoutMs?: number
}

// Give up a first connection after this many attempts (~3 s): a node that cannot reach Redis at
// start exits, and its supervisor restarts it.
const START_ATTEMPTS = 5

/**
 * Connects to Redis at `url` for one node. Two connections: one for the adapter (which also
 * duplicates it for its blocking stream reads and subscriptions) that queues commands while
 * reconnecting, so broadcasts survive a short blip; and one for the room store that fails fast,
 * so a request during an outage gets `INTERNAL` at once instead of hanging.
 */
export function connectRedis(url: string, options: RedisBackendOptions): RedisBackend {
  const { logger } = options
  let everConnected = false
  // Reconnect with a capped backoff once up: a Redis restart must not take the node down, and
  // /readyz reports the outage meanwhile.
  const reconnectStrategy = (retries: number, cause: Error): number | Error =>
    !everConnected && retries >= START_ATTEMPTS ? cause : Math.min(100 * 2 ** retries, 2000)
  const adapterClient = createClient({ url, socket: { reconnectStrategy } })
  const storeClient = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy },
  })
  observeUnawaitedCommands(adapterClient)
  let reported = false
  for (const client of [adapterClient, storeClient]) {
    client.on('error', (error: unknown) => {
      // node-redis emits an error per failed reconnect attempt; one line per outage is enough.
      if (reported) return
      reported = true
      logger.error('redis connection failed', { error })
    })
    client.on('ready', () => {
      if (reported) logger.info('redis connection restored')
      reported = false
    })
  }

  const connected = withTimeout(
    Promise.all([adapterClient.connect(), storeClient.connect()]).then(() => {
      everConnected = true
      // Shorter blocking reads than the default 5 s: closing waits for the read in progress.
      return createAdapter(adapterClient, { blockTimeInMs: 1000 })
    }),
    options.connectTimeoutMs ?? 10_000,
    `cannot reach redis at ${redactUrl(url)}`,
  ).catch((error: unknown) => {
    throw new Error(`cannot reach redis at ${redactUrl(url)}`, { cause: error })
  })
  // Observed here so a failed start does not also surface as an unhandled rejection.
  connected.catch(() => {})

  return {
    store: new RedisRoomStore(
      { sendCommand: (args) => storeClient.sendCommand(args) },
      { leaseMs: options.leaseMs, budgets: options.budgets },
    ),
    connected,
    async close() {
      for (const client of [adapterClient, storeClient]) {
        if (!client.isOpen) continue
        try {
          if (!client.isReady) throw new Error('not connected')
          // Commands run in order per connection: a PING answered means every write queued
          // before it (such as a persisted recovery session) reached Redis.
          await withTimeout(client.ping(), 1000, 'redis flush timed out')
          await client.close()
        } catch {
          client.destroy()
        }
      }
    },
  }
}

// The Streams adapter sends these without awaiting them: recovery sessions (SET) and broadcasts
// that expect answers (PUBLISH) on this client; on the copies it makes for its stream reads and
// subscriptions (`duplicate`), their connect, SUBSCRIBE and, when it closes, disconnect. One in
// flight or queued when Redis drops ("Socket closed unexpectedly") would reject with no handler,
// and an unhandled rejection ends a Node process: a Redis outage would take the node down. The
// outage is already reported once by the `error` listener; a lost recovery session only means
// the peer resumes with its token instead. Callers that do await still see the rejection.
const UNAWAITED_COMMANDS = [
  'set',
  'publish',
  'sPublish',
  'subscribe',
  'sSubscribe',
  'connect',
  'disconnect',
] as const

function observeUnawaitedCommands(client: object): void {
  const commands = client as Record<string, (...args: unknown[]) => unknown>
  for (const name of UNAWAITED_COMMANDS) {
    const send = commands[name]?.bind(client)
    if (!send) continue
    commands[name] = (...args: unknown[]) => {
      const reply = send(...args)
      if (reply instanceof Promise) reply.catch(() => {})
      return reply
    }
  }
  const duplicate = commands.duplicate?.bind(client)
  if (!duplicate) return
  commands.duplicate = (...args: unknown[]) => {
    const copy = duplicate(...args)
    if (typeof copy === 'object' && copy !== null) observeUnawaitedCommands(copy)
    return copy
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the configured url'
  }
}
