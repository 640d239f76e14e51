/** The ways a client reaches an Engine.IO server. */
export type TransportName = 'websocket' | 'polling'

/** Authentication data sent with the Socket.io handshake (`socket.handshake.auth` on the server). */
export type SocketAuth = Record<string, unknown>

/** Options of the Socket.io client that carries Duet's signaling. */
export interface SocketClientOptions {
  /**
   * The server's Engine.IO path.
   * @default '/socket.io/'
   */
  path?: string
  /**
   * Transports tried in order at each (re)connect; the connection stays on the one that opened.
   * @default ['websocket', 'polling']
   */
  transports?: TransportName[]
  /** Handshake authentication: an object, or a function that hands it over (asked on every connect). */
  auth?: SocketAuth | ((send: (auth: SocketAuth) => void) => void)
  /** Extra query parameters of the connection's URL. */
  query?: Record<string, string>
  /**
   * First wait before reconnecting after a drop (ms); doubles with each failed attempt.
   * @default 1000
   */
  reconnectionDelay?: number
  /**
   * Longest wait between reconnection attempts (ms).
   * @default 5000
   */
  reconnectionDelayMax?: number
  /**
   * How far each wait may stray from its nominal value (0–1), so clients a server dropped
   * together do not all come back at the same instant.
   * @default 0.5
   */
  randomizationFactor?: number
  /**
   * How long one connection attempt may take before it counts as failed (ms).
   * @default 20000
   */
  timeout?: number
  /** Sends cookies on cross-origin long polling (sticky sessions behind a load balancer). */
  withCredentials?: boolean
  /**
   * The WebSocket implementation; the runtime's by default (browsers, Node 22+). On Node 20 pass
   * one (`ws`'s `WebSocket`), or the client uses long polling.
   */
  WebSocket?: typeof WebSocket
}

/** What an Engine.IO connection needs from the client's options. */
export interface EngineOptions {
  transports: TransportName[]
  timeoutMs: number
  withCredentials: boolean
  WebSocket: typeof WebSocket | undefined
}

/** Events of one transport's connection to the engine. */
export interface PipeEvents {
  packets(packets: string[]): void
  /** The transport closed or failed (not by `close()`). */
  ended(reason: string): void
}

/** What the server's open packet says that the client uses. */
export interface Handshake {
  sid: string
  pingInterval: number
  pingTimeout: number
  /** The largest HTTP body the server accepts (long polling). */
  maxPayload?: number
}

/** One transport's connection: carries Engine.IO packets both ways. */
export interface Pipe {
  send(packets: string[]): void
  /** The engine read the server's handshake (before any reply to it is sent). */
  opened?(handshake: Handshake): void
  close(): void
}
