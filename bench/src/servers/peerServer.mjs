// The PeerJS anchor: the `peer` package's own server, as its README starts it, on loopback.
// Run as a process: node peerServer.mjs --port <n>
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { PeerServer } from 'peer'

/** Starts a PeerJS server; resolves with its HTTP server once it listens. */
export function startPeerServer(port) {
  return new Promise((resolve) => {
    PeerServer(
      // The default limit is 5000 clients; the bench connects up to 20k.
      { host: '127.0.0.1', port, path: '/', concurrent_limit: 100_000 },
      (server) => resolve(server),
    )
  })
}

if (fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { port: { type: 'string' } } })
  const server = await startPeerServer(Number(values.port))
  console.log(`peer listening on ${server.address().port}`)
  process.on('SIGTERM', () => process.exit(0))
}
