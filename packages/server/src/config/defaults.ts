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
