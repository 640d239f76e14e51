import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { processMetrics } from './processMetrics'

/** What the gauges read from the running server, at scrape time. */
export interface MetricSources {
  /** Sockets connected to this node. */
  sockets(): number
  /** Rooms with at least one peer connected to this node. */
  rooms(): number
  /** Peers connected to this node that hold a place in a room. */
  peers(): number
  /** 1 while draining, else 0. */
  draining(): number
}

// Relays are answered in well under a millisecond in memory and a few with Redis; the upper
// buckets catch a stalled store or event loop.
const RELAY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5]

/** The content type of `/metrics`: the Prometheus text format, version 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE

/** The signaling server's metrics (prom-client), one set per server. */
export interface ServerMetrics {
  /** Successful joins, by `kind`: `new` or `resumed`. */
  joins: Counter<'kind'>
  /** Resumed places, by `via`: `recovery` (Socket.io restored the session) or `token`. */
  resumes: Counter<'via'>
  /** Signals relayed (delivered or kept for an away peer). */
  relays: Counter
  /** Error acks sent, by `code`. */
  errors: Counter<'code'>
  /** Events with a name the protocol does not have. */
  unknownEvents: Counter
  /** Peers whose place was freed after their resume window ran out. */
  expired: Counter
  /** Relays refused `MAILBOX_FULL`, by the `budget` they would pass: mailbox, room or store. */
  heldRefused: Counter<'budget'>
  /** Connections and requests refused by a per-address or server-wide limit, by `limit`. */
  limited: Counter<'limit'>
  /** Seconds from a `signal:send` arriving to its relay being handed to Socket.io. */
  relayDuration: Histogram
  /**
   * This server's own metrics (`duet_*`), for an application that serves its own `/metrics`:
   * `Registry.merge([register, registry])`.
   */
  registry: Registry
  /** The Prometheus text of this server's metrics, then the process's (`process_*`, `nodejs_*`). */
  render(): Promise<string>
}

/** Creates the server's metrics; gauges read `sources` at scrape time. */
export function createServerMetrics(sources: MetricSources): ServerMetrics {
  const registry = new Registry()
  const registers = [registry]
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read())
      },
    })
  gauge('duet_sockets', 'Sockets connected to this node.', sources.sockets)
  gauge('duet_rooms', 'Rooms with a peer connected to this node.', sources.rooms)
  gauge('duet_peers', 'Peers in a room connected to this node.', sources.peers)
  gauge('duet_draining', '1 while this node drains before shutting down.', sources.draining)
  const measures = {
    joins: new Counter({
      name: 'duet_joins_total',
      help: 'Successful room joins, by kind (new, resumed).',
      labelNames: ['kind'] as const,
      registers,
    }),
    resumes: new Counter({
      name: 'duet_resumes_total',
      help: 'Peers that took their place back after a reconnect, by how (recovery, token).',
      labelNames: ['via'] as const,
      registers,
    }),
    relays: new Counter({
      name: 'duet_relays_total',
      help: 'Signals relayed between peers.',
      registers,
    }),
    errors: new Counter({
      name: 'duet_errors_total',
      help: 'Error acks sent to clients, by code.',
      labelNames: ['code'] as const,
      registers,
    }),
    unknownEvents: new Counter({
      name: 'duet_unknown_events_total',
      help: 'Client events whose name is not part of the protocol.',
      registers,
    }),
    expired: new Counter({
      name: 'duet_expired_total',
      help: 'Places freed because a disconnected peer did not come back within the resume window.',
      registers,
    }),
    heldRefused: new Counter({
      name: 'duet_held_refused_total',
      help: 'Relays to away peers refused MAILBOX_FULL, by the budget they would pass (mailbox-full, room-full, store-full).',
      labelNames: ['budget'] as const,
      registers,
    }),
    limited: new Counter({
      name: 'duet_limited_total',
      help: 'Connections and requests refused by a per-address or server-wide limit, by limit.',
      labelNames: ['limit'] as const,
      registers,
    }),
    relayDuration: new Histogram({
      name: 'duet_relay_duration_seconds',
      help: 'Server-side handling time of signal:send, from arrival to relay.',
      buckets: RELAY_BUCKETS,
      registers,
    }),
  }
  const process = processMetrics()
  return {
    ...measures,
    registry,
    render: async () => {
      const [own, shared] = await Promise.all([registry.metrics(), process.metrics()])
      return `${own}\n${shared}`
    },
  }
}
