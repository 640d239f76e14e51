import type { KeyObject } from 'node:crypto'
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { ClientToServerEvents, IceServerData, ServerToClientEvents } from '@duet/core/protocol'
import type { Server, Socket } from 'socket.io'
import type { Authenticate, Grant } from './auth/authTypes'
import type { Logger } from './ops/logger'
import type { ServerMetrics } from './ops/serverMetrics'
import type { RateLimit } from './requests/rateLimit'

/** An HTTP(S) server socket.io can attach to. */
export type AnyHttpServer = HttpServer | HttpsServer

/** Where a socket stands, kept on `socket.data` so adapters can see it across nodes. */
export interface SocketData {
  /** The room this socket joined and its peer id there; absent until `room:join` succeeds. */
  membership?: Membership
  /** What authentication allowed; absent when no authentication is configured. */
  grant?: Grant
}

/** A socket's place in a room. */
export interface Membership {
  /** The room joined. */
  roomId: string
  /** The server-assigned peer id, stable for the stay in the room. */
  peerId: string
}

/** Events exchanged between server nodes with `serverSideEmit`; none are used. */
export type InterServerEvents = Record<never, never>

/** The typed socket.io server the signaling server runs on. */
export type SignalingIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>

/** A connected client socket, typed like the server. */
export type SignalingSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>

/** Socket.io transports a client may use. */
export type Transport = 'polling' | 'websocket'

/** Options shared by both ways of starting the server. */
export interface CommonOptions {
  /**
   * Most peers one room holds, from 2 to 16; joins beyond it get `ROOM_FULL`.
   * @default 2
   */
  maxPeersPerRoom?: number
  /**
   * Origins allowed to connect from a browser, checked by CORS.
   * @default '*' (any origin)
   */
  corsOrigin?: string | string[]
  /**
   * ICE servers handed to every peer in its join result.
   * @default []
   */
  iceServers?: IceServerData[]
  /**
   * HTTP path socket.io answers on; clients must use the same.
   * @default '/socket.io'
   */
  path?: string
  /**
   * Receives joins, leaves and caught failures; `createJsonLogger(process.stderr)` writes JSON lines.
   * @default silentLogger
   */
  logger?: Logger
  /**
   * Transports clients may use. `['websocket']` needs no sticky sessions behind a load balancer.
   * @default ['polling', 'websocket']
   */
  transports?: Transport[]
  /**
   * Redis URL (`redis://[:password@]host:port[/db]`, `rediss://` for TLS). With it, nodes
   * sharing the Redis share rooms: Socket.io's Redis Streams adapter carries broadcasts and
   * recovery sessions, and room membership lives in Redis.
   * @default undefined (one process, in memory)
   */
  redis?: string
  /**
   * How long a disconnected peer keeps its place (and peer id) for a reconnect, in ms. Past it,
   * its place is freed and its room gets `peer:left`. `0` frees places at once.
   * @default 30000
   */
  resumeWindowMs?: number
  /**
   * How often each client is pinged, in ms. A connection that dies without a FIN (a laptop lid
   * closed, a network gone) is noticed, and its room told `peer:away`, within
   * `pingIntervalMs + pingTimeoutMs`.
   * @default 5000
   */
  pingIntervalMs?: number
  /**
   * How long a client may take to answer a ping before its connection counts as dropped, in ms.
   * @default 5000
   */
  pingTimeoutMs?: number
  /**
   * How long Socket.io connection state recovery keeps a dropped connection's session, in ms; at
   * most `resumeWindowMs`. Within it, a client that reconnects gets its socket back as it was,
   * with every relay it missed, including those sent into its connection before the server
   * noticed it had died. The price: the server keeps every relay it sends for this long, in
   * memory (or in the Redis stream). `0` leaves reconnects to resume tokens (the client rejoins
   * as the same peer and gets the relays kept while it was away), which is all
   * `@duet/core` needs.
   * @default 0
   */
  recoveryWindowMs?: number
  /**
   * Secret signing resume tokens; nodes sharing a Redis must share it.
   * @default a random secret per process
   */
  resumeSecret?: string
  /**
   * Per-socket token bucket: steady messages per second and burst; `false` for no limit.
   * @default { perSecond: 20, burst: 40 }
   */
  rateLimit?: RateLimit | false
  /**
   * Decides who may connect and which rooms they may join. Not with `jwtSecret`.
   * @default everyone, every room
   */
  authenticate?: Authenticate
  /**
   * Require a JWT in `handshake.auth.token` signed with this secret (HS256, HS384 or HS512, at
   * least 32 bytes), with `exp` and a `rooms` claim (`'*'` or a list of room ids). One of
   * `jwtSecret`, `jwtPublicKey`, `jwksUrl`; not with `authenticate`.
   */
  jwtSecret?: string
  /** TURN `static-auth-secret`: with it and `turnUrls`, every join carries TURN credentials. */
  turnSecret?: string
  /** TURN URLs the credentials are for, e.g. `['turn:turn.example.com:3478']`. */
  turnUrls?: string[]
  /**
   * Lifetime of each TURN credential, in seconds, cut to what is left of the peer's token;
   * peers refresh them with `ice:refresh`. TURN needs authentication: credentials go to
   * authenticated peers only.
   * @default 3600
   */
  turnTtlSeconds?: number
  /**
   * Bytes kept for one away peer (the JSON of the relays sent to it while it is away); past it
   * relays to it are refused `MAILBOX_FULL`. At least `MAX_MESSAGE_BYTES`.
   * @default 1048576 (1 MiB)
   */
  maxMailboxBytes?: number
  /**
   * Bytes kept for all away peers of one room together; past it, `MAILBOX_FULL`.
   * @default 2097152 (2 MiB)
   */
  maxRoomBytes?: number
  /**
   * Bytes kept for away peers in the whole store: this node's memory, or the Redis all nodes
   * share; past it, `MAILBOX_FULL`.
   * @default 67108864 (64 MiB)
   */
  maxHeldBytes?: number
  /**
   * Connections open at once from one client address; past it, new ones are refused
   * (`TOO_MANY_CONNECTIONS`). `0` for no limit.
   * @default 64
   */
  maxConnectionsPerIp?: number
  /**
   * Connections open at once on this node; past it, new ones are refused. `0` for no limit.
   * @default 20000
   */
  maxConnections?: number
  /**
   * Token bucket of `room:join` requests per client address, all its sockets together; past
   * it, `RATE_LIMITED`. `false` for no limit.
   * @default { perSecond: 10, burst: 50 }
   */
  joinRatePerIp?: RateLimit | false
  /**
   * Token bucket of requests of any kind per client address, all its sockets together; past
   * it, `RATE_LIMITED`. `false` for no limit.
   * @default { perSecond: 200, burst: 400 }
   */
  rateLimitPerIp?: RateLimit | false
  /**
   * Bytes that may wait to be written to one WebSocket client; a client that stops reading past
   * it has its connection cut (its place is then held as after any drop, relays to it kept
   * within `maxMailboxBytes`).
   * @default 4194304 (4 MiB)
   */
  maxBufferedBytes?: number
  /**
   * Proxies (addresses or CIDRs, e.g. `['10.0.0.0/8']`) whose `X-Forwarded-For` is believed
   * when counting per address; from anyone else the header is ignored.
   * @default [] (the socket's own peer address is the client's)
   */
  trustProxy?: string[]
  /**
   * How long `drain()` (SIGTERM for the CLI) waits for clients to move before closing, in ms.
   * @default 10000
   */
  drainTimeoutMs?: number

  // Authentication with tokens, resume tokens and exposure (#13).
  /**
   * Require a JWT signed by this public key (PEM text or a `KeyObject`): RS256, PS256, ES256 or
   * EdDSA. One of `jwtSecret`, `jwtPublicKey`, `jwksUrl`.
   */
  jwtPublicKey?: string | KeyObject
  /**
   * Require a JWT signed by a key of this JSON Web Key Set (an identity provider's
   * `jwks_uri`): fetched on first use, cached, fetched again for a key id it does not have.
   * RS256, PS256, ES256 or EdDSA. One of `jwtSecret`, `jwtPublicKey`, `jwksUrl`.
   */
  jwksUrl?: string
  /** With a JWT option: the `aud` claim must name this audience (or one of these). */
  jwtAudience?: string | string[]
  /** With a JWT option: the `iss` claim must be this issuer (or one of these). */
  jwtIssuer?: string | string[]
  /**
   * How long a resume token stays valid after it was issued, in ms. Each token also works only
   * once, only for the subject it was issued to, and only while its place is away.
   * @default 86400000
   */
  resumeTokenTtlMs?: number
  /**
   * Serve everyone beyond loopback without authentication and without an Origin allow-list;
   * without it, listening on another interface that way throws.
   * @default false
   */
  allowAnonymous?: boolean
  /**
   * Serve `/metrics` on this port of its own (with `metricsHost`) instead of on the public
   * listener, which then answers it 404. `0` picks a free port (see `metricsAddress()`).
   * @default undefined (on the public listener)
   */
  metricsPort?: number
  /**
   * Interface of the metrics listener.
   * @default '127.0.0.1'
   */
  metricsHost?: string
}

/** Create an HTTP server and listen on `port` and `host`. */
export interface ListenOptions extends CommonOptions {
  /** Not with `port`/`host`: see {@link AttachOptions}. */
  httpServer?: undefined
  /**
   * Port to listen on; `0` picks a free one (read it back with `address()`).
   * @default 3000
   */
  port?: number
  /**
   * Interface to bind. Beyond loopback it needs authentication, an explicit `corsOrigin`, or
   * `allowAnonymous`, or `createSignalingServer` throws a `TypeError`.
   * @default '127.0.0.1' (this machine only)
   */
  host?: string
}

/** Attach to an HTTP server you create and listen on yourself. */
export interface AttachOptions extends CommonOptions {
  /** The server to attach to; requests outside `path` stay yours. */
  httpServer: AnyHttpServer
  /** Not with `httpServer`: the server you pass already decides where it listens. */
  port?: undefined
  /** Not with `httpServer`: the server you pass already decides where it listens. */
  host?: undefined
}

/** Options of `createSignalingServer`: either listen on a port, or attach to your server. */
export type SignalingServerOptions = ListenOptions | AttachOptions

/** Where the server listens. */
export interface ServerAddress {
  /** The bound address, e.g. `::` or `127.0.0.1`. */
  host: string
  /** The bound port. */
  port: number
}

/** A running signaling server. */
export interface SignalingServer {
  /** The typed socket.io server, for middleware and adapters. */
  io: SignalingIo
  /** The HTTP server socket.io is attached to (yours, or the one created for `port`). */
  httpServer: AnyHttpServer
  /** Where the HTTP server listens, or null before it listens (or on a pipe). */
  address(): ServerAddress | null
  /** Where the metrics listener listens, or null without `metricsPort` (or before it listens). */
  metricsAddress(): ServerAddress | null
  /** Settles once the HTTP server listens; rejects if it cannot (e.g. port in use). */
  ready: Promise<void>
  /**
   * Disconnects every client and closes the HTTP server, including one you passed in:
   * socket.io cannot detach from it. Safe to call more than once.
   */
  close(): Promise<void>
  /**
   * Graceful shutdown: stops accepting (`/readyz` answers 503, new connections are refused),
   * sends `server:draining` to every client, closes their transports so they reconnect
   * elsewhere with their places kept, waits up to `timeoutMs` for pending work, then closes.
   */
  drain(timeoutMs?: number): Promise<void>
  /**
   * Answers `/healthz`, `/readyz` and `/metrics`; returns false for any other request, which
   * stays yours. Wired in already when the server creates its own HTTP server.
   */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean
  /** Whether this node should get traffic: started, not draining, Redis reachable. */
  isReady(): Promise<boolean>
  /** Counters and histograms, as `/metrics` renders them. */
  metrics: ServerMetrics
}
