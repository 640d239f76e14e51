// Hosts the app's request handler and the Duet signaling server on one port; used by server.js.
// PORT and HOST pick where it listens (default 127.0.0.1:3000).
import { createServer } from 'node:http'
import { createSignalingServer } from '@duet/server'

/** @param {import('node:http').RequestListener} handler */
export function serve(handler) {
  const httpServer = createServer(handler)
  const signaling = createSignalingServer({ httpServer })
  const port = Number(process.env.PORT ?? 3000)
  const host = process.env.HOST ?? '127.0.0.1'
  httpServer.listen(port, host, () => {
    console.log(`Listening on http://${host}:${port}`)
  })
  // Clients are told to reconnect elsewhere before the process goes.
  for (const stop of ['SIGINT', 'SIGTERM']) {
    process.once(stop, () => signaling.drain().then(() => process.exit(0)))
  }
}
