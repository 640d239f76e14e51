// The servers the call pages talk to, in a process of their own so the browser driver's work
// never delays a relay: Duet's signaling server attached to a node:http server that also
// serves the pages (as the demo does), the bare relay (also serving the pages), and a PeerJS
// server. Prints one JSON line with the ports once everything listens.
// Run: node callServer.mjs <directory of bundled pages>
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { createSignalingServer } from '@duet/server'
import { startPeerServer } from '../servers/peerServer.mjs'
import { attachRelay } from '../servers/relay.mjs'

const pagesDir = process.argv[2]

const html = (name) =>
  `<!doctype html><meta charset="utf-8"><title>${name}</title>` +
  `<video id="remote" autoplay muted playsinline width="320" height="240"></video>` +
  `<script type="module" src="/${name}.js"></script>`

/** Serves `/<page>.html` (generated) and `/<page>.js` (bundled); nothing else. */
async function servePages(request, response) {
  const match = /^\/(\w+)\.(html|js)(?:\?|$)/.exec(request.url ?? '')
  if (!match) return response.writeHead(404).end()
  const [, name, kind] = match
  try {
    const body = kind === 'html' ? html(name) : await readFile(join(pagesDir, `${name}.js`))
    const type = kind === 'html' ? 'text/html' : 'text/javascript'
    response.writeHead(200, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
    })
    response.end(body)
  } catch {
    response.writeHead(404).end()
  }
}

function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  )
}

const duetHttp = createServer(servePages)
// Rooms of four for the group targets; a 1:1 call is the same either way.
const signaling = createSignalingServer({ httpServer: duetHttp, maxPeersPerRoom: 4 })
const relayHttp = createServer(servePages)
attachRelay(relayHttp)
const ports = {
  duet: await listen(duetHttp),
  tutorial: await listen(relayHttp),
  peerServer: (await startPeerServer(0)).address().port,
}
await signaling.ready
console.log(JSON.stringify(ports))
process.on('SIGTERM', () => process.exit(0))
