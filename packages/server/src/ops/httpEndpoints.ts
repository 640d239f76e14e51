import type { IncomingMessage, ServerResponse } from 'node:http'
import { PROMETHEUS_CONTENT_TYPE } from './serverMetrics'

/** What the operational endpoints report on. */
export interface EndpointSources {
  /** Whether this node should get traffic (not draining, its Redis reachable). */
  isReady(): Promise<boolean>
  /** The Prometheus text; absent where `/metrics` is not served (it has a listener of its own). */
  metrics?: () => Promise<string>
}

/** Answers one HTTP request if it is for an operational endpoint; returns whether it did. */
export type HttpEndpoints = (request: IncomingMessage, response: ServerResponse) => boolean

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  response.end(body)
}

/**
 * `/healthz`: 200 while the process serves HTTP (liveness). `/readyz`: 200 when the node should
 * get traffic, 503 while draining or when Redis is unreachable (readiness). `/metrics`: the
 * Prometheus text format.
 */
export function createHttpEndpoints(sources: EndpointSources): HttpEndpoints {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') return false
    if (path === '/metrics' && !sources.metrics) return false
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD')
      send(response, 405, 'text/plain', 'method not allowed\n')
      return true
    }
    if (path === '/healthz') send(response, 200, 'text/plain', 'ok\n')
    else if (path === '/metrics' && sources.metrics) {
      sources.metrics().then(
        (text) => send(response, 200, PROMETHEUS_CONTENT_TYPE, text),
        // A collector that throws (a gauge reading a closed store) must not hang the scraper.
        () => send(response, 500, 'text/plain', 'metrics unavailable\n'),
      )
    } else {
      sources.isReady().then(
        (ready) =>
          send(response, ready ? 200 : 503, 'text/plain', ready ? 'ready\n' : 'not ready\n'),
        () => send(response, 503, 'text/plain', 'not ready\n'),
      )
    }
    return true
  }
}
