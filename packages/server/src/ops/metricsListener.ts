import { createServer, type Server } from 'node:http'
import { listen } from '../listen'
import type { HttpEndpoints } from './httpEndpoints'

/** A listener of its own for `/metrics` (and the health endpoints), away from the public one. */
export interface MetricsListener {
  /** The HTTP server. */
  server: Server
  /** Settles once it listens; rejects if it cannot. */
  ready: Promise<void>
  /** Stops it, dropping open connections (a scraper's keep-alive would hold it otherwise). */
  close(): Promise<void>
}

/**
 * Serves the operational endpoints on `host:port`, so that `/metrics` can stay on an internal
 * interface while the signaling port faces the internet.
 */
export function startMetricsListener(
  endpoints: HttpEndpoints,
  port: number,
  host: string,
): MetricsListener {
  const server = createServer((request, response) => {
    if (endpoints(request, response)) return
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
  })
  const ready = listen(server, port, host)
  return {
    server,
    ready,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
