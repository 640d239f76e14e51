import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createSignalingServer } from '@duet/server'
import { serveStatic } from './static'

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number
  /**
   * Interface to listen on.
   * @default every interface
   */
  host?: string
  /** The built client (`apps/demo/dist`). */
  staticDir: string
}

/** A running demo server. */
export interface DemoServer {
  /** Base URL to open in a browser. */
  url: string
  /** The port actually bound. */
  port: number
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
  // The request handler goes in first: Socket.io wraps existing listeners and keeps /socket.io/.
  const httpServer = createServer(serveStatic(options.staticDir))
  const signaling = createSignalingServer({ httpServer })

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject)
      httpServer.listen(options.port, options.host, () => {
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
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()))
        // Socket.io disconnects its clients and stops the HTTP server from accepting more.
        await signaling.close()
        // Keep-alive sockets would hold 'close' back for seconds; nothing here needs a drain.
        httpServer.closeAllConnections()
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
