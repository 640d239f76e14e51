import type { IncomingMessage } from 'node:http'

/** engine.io's `allowRequest` hook: decides on every new connection's handshake request. */
export type AllowRequest = (
  request: IncomingMessage,
  callback: (error: string | null | undefined, success: boolean) => void,
) => void

/** What decides whether a new connection may start. */
export interface AdmissionPolicy {
  /** Allowed browser origins, or `'*'` for any. */
  origins: readonly string[] | '*'
  /** False while starting (Redis not connected yet) or draining: clients go to another node. */
  accepting(): boolean
  /** Why a connection would pass a connection limit (per address, per node), if it would. */
  overLimit(request: IncomingMessage): string | undefined
}

/**
 * Checks the `Origin` of every handshake, WebSocket ones included: CORS only governs what a page
 * may read, and browsers do not apply it to WebSocket upgrades, so without this any site could
 * open a socket to the server from its visitors' browsers. Requests without an `Origin` (native
 * apps, servers, curl) pass: they are not browsers acting for a third-party page.
 * While not accepting (starting, draining), every new connection is refused so clients try
 * another node.
 */
export function createAllowRequest(policy: AdmissionPolicy): AllowRequest {
  const allowed = policy.origins === '*' ? undefined : new Set(policy.origins)
  return (request, callback) => {
    if (!policy.accepting()) return callback('server is not accepting connections', false)
    const origin = request.headers.origin
    if (allowed && origin !== undefined && !allowed.has(origin)) {
      return callback('origin not allowed', false)
    }
    const overLimit = policy.overLimit(request)
    if (overLimit !== undefined) return callback(overLimit, false)
    callback(null, true)
  }
}
