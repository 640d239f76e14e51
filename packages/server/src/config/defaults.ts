/** Port the server listens on when neither `port` nor `httpServer` is given. */
export const DEFAULT_PORT = 3000

/**
 * Interface the server binds when no host is given: this machine only, so a server started
 * without a thought is reachable by nobody else.
 */
export const DEFAULT_HOST = '127.0.0.1'

/** Socket.io path the server answers on unless `path` says otherwise. */
export const DEFAULT_PATH = '/socket.io'

/** How long a disconnected peer keeps its place, in ms. */
export const DEFAULT_RESUME_WINDOW_MS = 30_000

/**
 * How often the server pings each client, in ms. With {@link DEFAULT_PING_TIMEOUT_MS} it bounds
 * how long a half-open connection (a closed laptop lid, a network gone, no FIN) goes unnoticed:
 * at most interval + timeout, 10 s, before the room is told `peer:away`. Socket.io's own
 * defaults (25 s + 20 s) would leave a frozen picture on screen for up to 45 s.
 */
export const DEFAULT_PING_INTERVAL_MS = 5000

/** How long the server waits for a client's pong before it drops the connection, in ms. */
export const DEFAULT_PING_TIMEOUT_MS = 5000

/**
 * How long Socket.io keeps a dropped connection's session (and every relay sent meanwhile), in
 * ms: 0, off. Resume tokens and the mailbox already give a peer its place and the relays sent
 * while it was away; this only adds relays sent into a connection that died before the server
 * noticed, and costs memory for every relay of the window.
 */
export const DEFAULT_RECOVERY_WINDOW_MS = 0

/** How long draining waits for clients and pending work, in ms. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000

/** Lifetime of a TURN credential, in seconds (an hour; never longer than the peer's token). */
export const DEFAULT_TURN_TTL_SECONDS = 3_600

/**
 * Bytes kept for one away peer (the JSON of its relays): five of the largest descriptions, or
 * hundreds of ordinary signals.
 */
export const DEFAULT_MAX_MAILBOX_BYTES = 1024 * 1024

/** Bytes kept for all away peers of one room together. */
export const DEFAULT_MAX_ROOM_BYTES = 2 * 1024 * 1024

/** Bytes kept for away peers in the whole store: this node's memory, or the shared Redis. */
export const DEFAULT_MAX_HELD_BYTES = 64 * 1024 * 1024

/** Connections open at once from one client address. */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 64

/** Connections open at once on one node. */
export const DEFAULT_MAX_CONNECTIONS = 20_000

/** Bytes that may wait to be written to one WebSocket client before its connection is cut. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024
