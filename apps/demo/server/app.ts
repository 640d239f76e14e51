import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { join } from 'node:path'
import { type CommonOptions, createSignalingServer, DEFAULT_HOST } from '@duet/server'
import { serveStatic } from './static'

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number
  /**
   * Interface to listen on. Beyond loopback, `signaling` needs authentication, an explicit
   * `corsOrigin` or `allowAnonymous` (what `optionsFromEnv` checks against `HOST`).
   * @default '127.0.0.1' (this machine only)
   */
  host?: string
  /** The built client (`apps/demo/dist`). */
  staticDir: string
  /**
   * Signaling server options (Redis, TURN, limits…), e.g. `optionsFromEnv(process.env)`.
   * @default in-memory rooms, no TURN
   */
  signaling?: CommonOptions
}

/** A running demo server. */
export interface DemoServer {
  /** Base URL to open in a browser. */
  url: string
  /** The port actually bound. */
  port: number
  /** Tells clients to move to another node, waits for them (bounded), then closes. */
  drain(): Promise<void>
  /** Stops signaling and HTTP, dropping open connections. */
  close(): Promise<void>
}

/**
 * Serves the built demo client and the signaling server on one port, so the page's own origin
 * is its signaling URL.
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  if (!existsSync(join(options.staticDir, 'index.html'))) {
    throw new Error(
      `No built client in ${options.staticDir}: run \`pnpm --filter demo build\` first.`,
    )
  }
  const serveClient = serveStatic(options.staticDir)
  // The request handler goes in first: Socket.io wraps existing listeners and keeps /socket.io/.
  // /healthz, /readyz and /metrics are the signaling server's; everything else is the client.
  const httpServer = createServer((request, response) => {
    if (!signaling.handleRequest(request, response)) serveClient(request, response)
  })
  const signaling = createSignalingServer({ ...options.signaling, httpServer })
  // Every TCP connection, upgraded WebSockets included (closeAllConnections skips those): a
  // browser tab holding one would keep the server from closing for a minute.
  const connections = new Set<Socket>()
  httpServer.on('connection', (socket) => {
    connections.add(socket)
    socket.once('close', () => connections.delete(socket))
  })

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject)
      httpServer.listen(options.port, options.host ?? DEFAULT_HOST, () => {
        httpServer.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await signaling.close()
    throw error
  }
  const { port } = httpServer.address() as AddressInfo

  let closing: Promise<void> | undefined
  return {
    url: `http://${displayHost(options.host)}:${port}`,
    port,
    drain: () => signaling.drain(),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()))
        // Socket.io disconnects its clients and stops the HTTP server from accepting more.
        await signaling.close()
        // Keep-alive and WebSocket connections would hold 'close' back; nothing here needs a drain.
        for (const socket of connections) socket.destroy()
        await closed
      })()
      return closing
    },
  }
}

function displayHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}
