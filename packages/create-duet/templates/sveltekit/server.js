// The production server: SvelteKit's adapter-node handler and the Duet signaling server on one
// port. `npm run build && npm start`; PORT and HOST pick where it listens.
import { createServer } from 'node:http'
import { createSignalingServer } from '@duet/server'
import { handler } from './build/handler.js'

const httpServer = createServer((request, response) =>
  handler(request, response, () => response.writeHead(404).end()),
)
const signaling = createSignalingServer({ httpServer })

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
httpServer.listen(port, host, () => {
  console.log(`Listening on http://${host}:${port}`)
})
for (const stop of ['SIGINT', 'SIGTERM']) {
  process.once(stop, () => signaling.drain().then(() => process.exit(0)))
}
