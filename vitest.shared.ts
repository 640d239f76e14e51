import { defaultClientConditions, defaultServerConditions } from 'vite'

/**
 * Resolve workspace packages to their TypeScript sources (the `@duet/source` export
 * condition), so tests run without a build.
 */
export const sourceResolve = {
  resolve: { conditions: ['@duet/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@duet/source', ...defaultServerConditions] } },
}

/**
 * Node 20 keeps its WebSocket (the one Node 22 has by default) behind a flag; Duet's signaling
 * client uses the runtime's WebSocket, as it does in browsers.
 */
export const nodeWebSocket = ['--experimental-websocket']
