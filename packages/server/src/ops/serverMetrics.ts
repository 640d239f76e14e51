import { Counter, Gauge, Histogram, type Metric, renderMetrics } from './metrics'

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

/** The signaling server's metrics, one set per server. */
export interface ServerMetrics {
  /** Successful joins, by `kind`: `new` or `resumed`. */
  joins: Counter
  /** Resumed places, by `via`: `recovery` (Socket.io restored the session) or `token`. */
  resumes: Counter
  /** Signals relayed (delivered or kept for an away peer). */
  relays: Counter
  /** Error acks sent, by `code`. */
  errors: Counter
  /** Events with a name the protocol does not have. */
  unknownEvents: Counter
  /** Peers whose place was freed after their resume window ran out. */
  expired: Counter
  /** Relays refused `MAILBOX_FULL`, by the `budget` they would pass: mailbox, room or store. */
  heldRefused: Counter
  /** Connections and requests refused by a per-address or server-wide limit, by `limit`. */
  limited: Counter
  /** Seconds from a `signal:send` arriving to its relay being handed to Socket.io. */
  relayDuration: Histogram
  /** The Prometheus text of every metric. */
  render(): string
}

/** Creates the server's metrics; gauges read `sources` at scrape time. */
export function createServerMetrics(sources: MetricSources): ServerMetrics {
  const measures = {
    joins: new Counter('duet_joins_total', 'Successful room joins, by kind (new, resumed).'),
    resumes: new Counter(
      'duet_resumes_total',
      'Peers that took their place back after a reconnect, by how (recovery, token).',
    ),
    relays: new Counter('duet_relays_total', 'Signals relayed between peers.'),
    errors: new Counter('duet_errors_total', 'Error acks sent to clients, by code.'),
    unknownEvents: new Counter(
      'duet_unknown_events_total',
      'Client events whose name is not part of the protocol.',
    ),
    expired: new Counter(
      'duet_expired_total',
      'Places freed because a disconnected peer did not come back within the resume window.',
    ),
    heldRefused: new Counter(
      'duet_held_refused_total',
      'Relays to away peers refused MAILBOX_FULL, by the budget they would pass (mailbox-full, room-full, store-full).',
    ),
    limited: new Counter(
      'duet_limited_total',
      'Connections and requests refused by a per-address or server-wide limit, by limit.',
    ),
    relayDuration: new Histogram(
      'duet_relay_duration_seconds',
      'Server-side handling time of signal:send, from arrival to relay.',
      RELAY_BUCKETS,
    ),
  }
  const all: Metric[] = [
    new Gauge('duet_sockets', 'Sockets connected to this node.', sources.sockets),
    new Gauge('duet_rooms', 'Rooms with a peer connected to this node.', sources.rooms),
    new Gauge('duet_peers', 'Peers in a room connected to this node.', sources.peers),
    new Gauge('duet_draining', '1 while this node drains before shutting down.', sources.draining),
    // Rendered in the order they are declared above.
    ...Object.values(measures),
  ]
  return {
    ...measures,
    render: () => renderMetrics(all),
  }
}
