import type { IncomingMessage } from 'node:http'
import type { ServerMetrics } from '../ops/serverMetrics'
import type { ClientAddressOf } from './clientAddress'
import { Bucket, type RateLimit } from './rateLimit'

/** Limits per client address and for the whole node; `0`/`false` turns one off. */
export interface AddressLimitSettings {
  /** Connections open at once from one address. */
  maxConnectionsPerIp: number
  /** Connections open at once on this node. */
  maxConnections: number
  /** `room:join` requests per address. */
  joinRatePerIp: RateLimit | false
  /** Requests of any kind per address, all its sockets together. */
  rateLimitPerIp: RateLimit | false
}

/** What one address holds: its open connections and its shared buckets. */
export interface AddressState {
  /** The address, for logs. */
  readonly address: string
  /** Connections open now. */
  connections: number
  /** Joins of all its sockets; undefined when unlimited. */
  readonly joins: Bucket | undefined
  /** Requests of all its sockets; undefined when unlimited. */
  readonly requests: Bucket | undefined
  /** When its last connection closed (ms), for forgetting it. */
  idleSince: number
}

/** A raw (engine.io) connection, as much of it as the limits need. */
export interface RawConnection {
  /** The handshake request. */
  readonly request: IncomingMessage
  /** Closes it. */
  close(): void
  /** Subscribes to its close. */
  once(event: 'close', listener: () => void): unknown
}

/** Counts connections and requests per address and refuses past the limits. */
export interface AddressLimits {
  /** Why a new connection from `request` would be refused, or undefined to let it in. */
  refusal(request: IncomingMessage): string | undefined
  /** Counts a connection that completed its handshake; closes it at once past a limit. */
  opened(connection: RawConnection): void
  /** The state of the address a connection came from. */
  of(connection: object): AddressState | undefined
  /** Stops forgetting idle addresses. */
  stop(): void
}

// An address with no connection is forgotten once its buckets would have refilled, so coming
// back cannot be used to refill them sooner.
const FORGET_AFTER_MS = 60_000

/** Creates the per-address and node-wide limits. */
export function createAddressLimits(
  settings: AddressLimitSettings,
  addressOf: ClientAddressOf,
  metrics: ServerMetrics,
): AddressLimits {
  const addresses = new Map<string, AddressState>()
  const byConnection = new WeakMap<object, AddressState>()
  let open = 0

  const stateOf = (address: string): AddressState => {
    let state = addresses.get(address)
    if (!state) {
      state = {
        address,
        connections: 0,
        joins: settings.joinRatePerIp ? new Bucket(settings.joinRatePerIp) : undefined,
        requests: settings.rateLimitPerIp ? new Bucket(settings.rateLimitPerIp) : undefined,
        idleSince: Date.now(),
      }
      addresses.set(address, state)
    }
    return state
  }

  const refusalFor = (address: string): string | undefined => {
    if (settings.maxConnections > 0 && open >= settings.maxConnections) {
      metrics.limited.inc({ limit: 'connections' })
      return 'TOO_MANY_CONNECTIONS: the server is at its connection limit'
    }
    const connections = addresses.get(address)?.connections ?? 0
    if (settings.maxConnectionsPerIp > 0 && connections >= settings.maxConnectionsPerIp) {
      metrics.limited.inc({ limit: 'connections-per-ip' })
      return 'TOO_MANY_CONNECTIONS: too many connections from your address'
    }
    return undefined
  }

  const forget = setInterval(() => {
    const before = Date.now() - FORGET_AFTER_MS
    for (const [address, state] of addresses) {
      if (state.connections === 0 && state.idleSince < before) addresses.delete(address)
    }
  }, FORGET_AFTER_MS / 2)
  forget.unref()

  return {
    refusal: (request) => refusalFor(addressOf(request)),
    opened(connection) {
      const address = addressOf(connection.request)
      // Handshakes that passed `refusal` together can still overshoot: counted here, exactly.
      if (refusalFor(address) !== undefined) return connection.close()
      const state = stateOf(address)
      state.connections++
      open++
      byConnection.set(connection, state)
      connection.once('close', () => {
        state.connections--
        open--
        if (state.connections === 0) state.idleSince = Date.now()
      })
    },
    of: (connection) => byConnection.get(connection),
    stop: () => clearInterval(forget),
  }
}
