import type { Server as HttpServer } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { ClientToServerEvents, IceServerData, ServerToClientEvents } from '@duet/core/protocol'
import type { Server } from 'socket.io'
import type { Logger } from './logger'

/** An HTTP(S) server socket.io can attach to. */
export type AnyHttpServer = HttpServer | HttpsServer

/** Where a socket stands, kept on `socket.data` so adapters can see it across nodes. */
export interface SocketData {
  /** The room this socket joined and its peer id there; absent until `room:join` succeeds. */
  membership?: Membership
}

/** A socket's place in a room. */
export interface Membership {
  /** The room joined. */
  roomId: string
  /** The server-assigned peer id, stable for the stay in the room. */
  peerId: string
}

/** Events exchanged between server nodes; none yet (a later adapter issue adds them). */
export type InterServerEvents = Record<never, never>

/** The typed socket.io server the signaling server runs on. */
export type SignalingIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>

/** Options shared by both ways of starting the server. */
export interface CommonOptions {
  /**
   * Most peers one room holds; joins beyond it get `ROOM_FULL`.
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
   * Receives joins, leaves and caught failures.
   * @default silentLogger
   */
  logger?: Logger
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
   * Interface to bind.
   * @default all interfaces (`::`, or `0.0.0.0` without IPv6)
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
  /** Settles once the HTTP server listens; rejects if it cannot (e.g. port in use). */
  ready: Promise<void>
  /**
   * Disconnects every client and closes the HTTP server, including one you passed in:
   * socket.io cannot detach from it. Safe to call more than once.
   */
  close(): Promise<void>
}
