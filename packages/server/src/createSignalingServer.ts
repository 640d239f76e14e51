import { createServer } from 'node:http'
import { MAX_MESSAGE_BYTES } from '@duet/core/protocol'
import { Server } from 'socket.io'
import { createAllowRequest } from './auth/allowRequest'
import { authMiddleware, jwtAuthenticator } from './auth/authenticate'
import { createExpiryWatch } from './auth/authSession'
import { createResumeTokens } from './auth/resumeTokens'
import { grantIceServers } from './auth/turnCredentials'
import { DEFAULT_HOST, DEFAULT_PATH, DEFAULT_PORT } from './config/defaults'
import { resolveOptions } from './config/resolveOptions'
import { listen, listening } from './listen'
import { cachedFor } from './ops/cachedFor'
import { createHttpEndpoints } from './ops/httpEndpoints'
import { type Logger, silentLogger } from './ops/logger'
import { startMetricsListener } from './ops/metricsListener'
import { releaseSentPackets } from './ops/releaseSentPackets'
import { createServerMetrics } from './ops/serverMetrics'
import { startSlowReaderCheck } from './ops/slowReaders'
import { createWorkTracker } from './ops/workTracker'
import { createAddressLimits } from './requests/addressLimits'
import { clientAddressOf } from './requests/clientAddress'
import { handleConnection } from './requests/handleConnection'
import { createPeerOperations } from './requests/peerOperations'
import { connectRedis } from './rooms/connectRedis'
import { MemoryRoomStore } from './rooms/memoryRoomStore'
import { Presence, startHousekeeping } from './rooms/presence'
import type {
  AnyHttpServer,
  ServerAddress,
  SignalingIo,
  SignalingServer,
  SignalingServerOptions,
} from './serverTypes'

// `/readyz` is polled by every load balancer and orchestrator, often several times a second:
// one Redis PING per second answers them all.
const READY_CACHE_MS = 1000

/**
 * Starts the Duet signaling server: rooms of `maxPeersPerRoom` peers that relay offers,
 * answers and ICE candidates to each other, every payload validated; with `redis`, any number
 * of nodes share the rooms.
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
 * // on SIGTERM: await signaling.drain()
 * ```
 */
export function createSignalingServer(options: SignalingServerOptions = {}): SignalingServer {
  const config = resolveOptions(options)
  const logger = options.logger ?? silentLogger
  let draining = false
  let started = false

  const redis = options.redis
    ? connectRedis(options.redis, { leaseMs: config.leaseMs, budgets: config.budgets, logger })
    : undefined
  const store = redis?.store ?? new MemoryRoomStore({ budgets: config.budgets })
  const presence = new Presence()
  const work = createWorkTracker()

  // Declared before the HTTP server so the endpoints can be its request handler; Socket.io then
  // wraps that handler and keeps its own path.
  const metrics = createServerMetrics({
    sockets: () => io.of('/').sockets.size,
    rooms: () => presence.rooms,
    peers: () => presence.peers,
    draining: () => (draining ? 1 : 0),
  })
  const storeReachable = cachedFor(READY_CACHE_MS, () =>
    store.check().then(
      () => true,
      () => false,
    ),
  )
  const isReady = async (): Promise<boolean> => {
    if (draining || !started) return false
    return storeReachable()
  }
  const addresses = createAddressLimits(
    config.addressLimits,
    clientAddressOf(config.trustedProxies),
    metrics,
  )
  const renderMetrics = () => metrics.render()
  // With a metrics port, /metrics lives there only: the public listener answers it 404.
  const metricsListener =
    options.metricsPort !== undefined
      ? startMetricsListener(
          createHttpEndpoints({ isReady, metrics: renderMetrics }),
          options.metricsPort,
          options.metricsHost ?? DEFAULT_HOST,
        )
      : undefined
  const handleRequest = createHttpEndpoints({
    isReady,
    ...(metricsListener ? {} : { metrics: renderMetrics }),
  })
  const httpServer: AnyHttpServer =
    options.httpServer ??
    createServer((request, response) => {
      if (handleRequest(request, response)) return
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    })

  const resumeWindowMs = config.resumeWindowMs
  const io: SignalingIo = new Server(httpServer, {
    path: options.path ?? DEFAULT_PATH,
    // Bounds what one client can make the server buffer: one SDP plus envelope.
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // Signals are small and mostly unique (SDP, candidates): compression would cost CPU and a
    // zlib context per socket for next to no bytes saved. Also engine.io's default; said here so
    // that an upgrade changing it does not change Duet.
    perMessageDeflate: false,
    cors: { origin: config.origins === '*' ? '*' : [...config.origins] },
    allowRequest: createAllowRequest({
      origins: config.origins,
      accepting: () => started && !draining,
      overLimit: addresses.refusal,
    }),
    transports: config.transports,
    // Short enough that a half-open connection shows as away within seconds (see defaults.ts).
    pingInterval: config.pingIntervalMs,
    pingTimeout: config.pingTimeoutMs,
    // Clients bring their own (@duet/core speaks the protocol itself): serving one is surface for nothing.
    serveClient: false,
    // Off unless asked for: it keeps every broadcast (every relay) for the whole window, which
    // at thousands of relays a second is most of the heap and its garbage collection. Resume
    // tokens and the store's mailbox give a reconnecting peer its place and kept relays anyway.
    ...(config.recoveryWindowMs > 0
      ? {
          // Keeps a disconnected socket's id, rooms, data and missed broadcasts (relays) for the
          // window; skipping middlewares means no second authentication on recovery.
          connectionStateRecovery: {
            maxDisconnectionDuration: config.recoveryWindowMs,
            skipMiddlewares: true,
          },
        }
      : {}),
  })

  io.engine.on('connection', addresses.opened)
  releaseSentPackets(io)

  const authenticate = options.authenticate ?? builtInAuthenticator(options, logger)
  if (authenticate) io.use(authMiddleware(authenticate, logger))
  const expiry = createExpiryWatch(logger)

  const peers = createPeerOperations({
    io,
    store,
    presence,
    capacity: config.capacity,
    grantIce: (peerId, grant) =>
      grantIceServers(options.iceServers ?? [], config.turn, peerId, grant),
    tokens: createResumeTokens(options.resumeSecret, config.resumeTokenTtlMs),
    resumeWindowMs,
    logger,
    metrics,
    track: work.track,
    recovery: config.recoveryWindowMs > 0,
  })
  io.on(
    'connection',
    handleConnection({
      peers,
      rateLimit: config.rateLimit,
      logger,
      metrics,
      track: work.track,
      authenticate,
      expiry,
      addresses,
    }),
  )
  const stopSlowReaderCheck = startSlowReaderCheck(io, config.maxBufferedBytes, metrics, logger)
  const stopHousekeeping = startHousekeeping({
    io,
    store,
    presence,
    logger,
    metrics,
    sweepMs: config.sweepMs,
    refreshMs: config.leaseMs / 3,
  })

  const ready = Promise.all([
    // No connection is accepted before this: every socket lives on the shared adapter.
    redis?.connected.then((adapter) => io.adapter(adapter)),
    options.httpServer
      ? listening(httpServer)
      : listen(httpServer, options.port ?? DEFAULT_PORT, options.host ?? DEFAULT_HOST),
    metricsListener?.ready,
  ]).then(() => {
    started = true
  })

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopHousekeeping()
      stopSlowReaderCheck()
      addresses.stop()
      // Also closes the HTTP server; sockets disconnect with "server shutting down", so their
      // places are held for the resume window (other nodes can take them over).
      await io.close()
      await metricsListener?.close()
      await work.settled(2000)
      await store.close()
      await redis?.close()
    })()
    return closing
  }

  let drained: Promise<void> | undefined
  const drain = (timeoutMs = config.drainTimeoutMs): Promise<void> => {
    drained ??= (async () => {
      draining = true
      const sockets = [...io.of('/').sockets.values()]
      logger.info('draining', { sockets: sockets.length, timeoutMs })
      // Places first, transports second: a relay sent to a peer once it is marked away is kept
      // for its return, where one sent into a closing connection would be lost (nothing replays
      // it without connection state recovery).
      const marked = await Promise.allSettled(sockets.map((socket) => peers.away(socket)))
      const failed = marked.filter((result) => result.status === 'rejected').length
      if (failed > 0) logger.warn('could not mark every place away before draining', { failed })
      for (const socket of sockets) {
        socket.emit('server:draining')
        // A forced close is recoverable: the place is held (and the recovery session saved, if
        // on), and the client reconnects through the load balancer to a node that accepts it.
        socket.conn.close()
      }
      await work.idle(() => io.of('/').sockets.size === 0, timeoutMs)
      await close()
      logger.info('drained')
    })()
    return drained
  }

  return {
    io,
    httpServer,
    address: () => addressOf(httpServer),
    metricsAddress: () => (metricsListener ? addressOf(metricsListener.server) : null),
    ready,
    close,
    drain,
    handleRequest,
    isReady,
    metrics,
  }
}

/** The JWT check the options ask for (`jwtSecret`, `jwtPublicKey` or `jwksUrl`), if any. */
function builtInAuthenticator(options: SignalingServerOptions, logger: Logger) {
  const audience = options.jwtAudience !== undefined ? { audience: options.jwtAudience } : {}
  const issuer = options.jwtIssuer !== undefined ? { issuer: options.jwtIssuer } : {}
  const claims = { ...audience, ...issuer }
  if (options.jwtSecret !== undefined) {
    return jwtAuthenticator({ secret: options.jwtSecret, ...claims }, logger)
  }
  if (options.jwtPublicKey !== undefined) {
    return jwtAuthenticator({ publicKey: options.jwtPublicKey, ...claims }, logger)
  }
  if (options.jwksUrl !== undefined) {
    return jwtAuthenticator({ jwksUrl: options.jwksUrl, ...claims }, logger)
  }
  return undefined
}

function addressOf(httpServer: AnyHttpServer): ServerAddress | null {
  const address = httpServer.address()
  if (address === null || typeof address === 'string') return null
  return { host: address.address, port: address.port }
}
