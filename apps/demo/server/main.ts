import { fileURLToPath } from 'node:url'
import { ConfigError, optionsFromEnv } from '@duet/server'
import { startDemoServer } from './app'

// Built to dist-server/main.js, so the client build sits next door in dist/.
const staticDir = fileURLToPath(new URL('../dist', import.meta.url))
const port = Number(process.env.PORT ?? 3000)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid PORT: ${process.env.PORT}`)
  process.exit(1)
}

// The same DUET_* variables as duet-server (DUET_REDIS, DUET_TURN_SECRET, …): two demo instances
// on two ports sharing one Redis serve one room. The same rules too: HOST beyond loopback needs
// DUET_JWT_SECRET (or another key), DUET_CORS_ORIGIN or DUET_ALLOW_ANONYMOUS=true.
// Rooms of four by default (duet-server's own default is two): the demo shows group calls.
// DUET_MAX_PEERS_PER_ROOM picks another size, from 2 to 16.
const DEMO_ROOM_CAPACITY = '4'
let signaling: ReturnType<typeof optionsFromEnv>
try {
  signaling = optionsFromEnv({
    ...process.env,
    DUET_MAX_PEERS_PER_ROOM: process.env.DUET_MAX_PEERS_PER_ROOM || DEMO_ROOM_CAPACITY,
  })
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(2)
}

try {
  const host = process.env.HOST || undefined
  const server = await startDemoServer({ port, host, staticDir, signaling })
  console.log(`Duet demo: http://localhost:${server.port}`)

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl+C means "now": don't wait for open calls to drain.
    if (stopping) process.exit(1)
    stopping = true
    console.log(`${signal}: shutting down`)
    // SIGTERM (an orchestrator) moves calls to other nodes first; Ctrl+C just stops.
    const stopped =
      signal === 'SIGTERM' ? server.drain().then(() => server.close()) : server.close()
    stopped.then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  console.error(code === 'EADDRINUSE' ? `Port ${port} is already in use: set PORT.` : error)
  process.exit(1)
}
