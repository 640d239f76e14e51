import { createServer } from 'node:http'
import { DEFAULT_ROOM_CAPACITY, MAX_MESSAGE_BYTES } from '@duet/core/protocol'
import { Server } from 'socket.io'
import { DEFAULT_PATH, DEFAULT_PORT } from './defaults'
import { handleConnection } from './handleConnection'
import { silentLogger } from './logger'
import { MemoryRoomStore } from './rooms'
import type {
  AnyHttpServer,
  ServerAddress,
  SignalingIo,
  SignalingServer,
  SignalingServerOptions,
} from './server.types'

/**
 * Starts the Duet signaling server: rooms of `maxPeersPerRoom` peers that relay offers,
 * answers and ICE candidates to each other, every payload validated.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createSignalingServer } from '@duet/server'
 *
 * const httpServer = createServer(app)
 * const signaling = createSignalingServer({ httpServer, corsOrigin: 'https://app.example' })
 * httpServer.listen(3000)
 * await signaling.ready
 * // later: await signaling.close()
 * ```
 */
export function createSignalingServer(options: SignalingServerOptions = {}): SignalingServer {
  const capacity = options.maxPeersPerRoom ?? DEFAULT_ROOM_CAPACITY
  if (!Number.isSafeInteger(capacity) || capacity < 2) {
    throw new RangeError(`maxPeersPerRoom must be an integer of at least 2, got ${capacity}`)
  }
  const logger = options.logger ?? silentLogger
  const httpServer: AnyHttpServer = options.httpServer ?? createServer()

  const io: SignalingIo = new Server(httpServer, {
    path: options.path ?? DEFAULT_PATH,
    // Bounds what one client can make the server buffer: one SDP plus envelope.
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    cors: { origin: options.corsOrigin ?? '*' },
    // Clients bundle socket.io-client through @duet/core; serving it is surface for nothing.
    serveClient: false,
  })

  io.on(
    'connection',
    handleConnection({
      io,
      rooms: new MemoryRoomStore(),
      capacity,
      iceServers: options.iceServers ?? [],
      logger,
    }),
  )

  const ready = options.httpServer
    ? listening(httpServer)
    : listen(httpServer, options.port ?? DEFAULT_PORT, options.host)

  let closing: Promise<void> | undefined

  return {
    io,
    httpServer,
    address: () => addressOf(httpServer),
    ready,
    // socket.io's close also closes the HTTP server; memoized so a second call waits for the first.
    close: () => {
      closing ??= io.close()
      return closing
    },
  }
}

function listen(httpServer: AnyHttpServer, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      httpServer.off('listening', onListening)
      reject(error)
    }
    const onListening = (): void => {
      httpServer.off('error', onError)
      resolve()
    }
    httpServer.once('error', onError)
    httpServer.once('listening', onListening)
    httpServer.listen(port, host)
  })
}

// For a server the caller owns: wait for it to listen, but leave its 'error' events to the
// caller (a listener here would swallow errors that should crash their process).
function listening(httpServer: AnyHttpServer): Promise<void> {
  if (httpServer.listening) return Promise.resolve()
  return new Promise((resolve) => httpServer.once('listening', () => resolve()))
}

function addressOf(httpServer: AnyHttpServer): ServerAddress | null {
  const address = httpServer.address()
  if (address === null || typeof address === 'string') return null
  return { host: address.address, port: address.port }
}
