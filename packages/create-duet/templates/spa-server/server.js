// The production server: serves the built app from dist/ and the Duet signaling server on one
// port. `npm run build && npm start`; PORT and HOST pick where it listens.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSignalingServer } from '@duet/server'

const dist = fileURLToPath(new URL('./dist/', import.meta.url))
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** The file a path names inside dist/, or index.html for the app's own routes. */
async function fileFor(pathname) {
  const file = join(dist, normalize(decodeURIComponent(pathname)))
  if (file.startsWith(dist)) {
    const info = await stat(file).catch(() => null)
    if (info?.isFile()) return file
  }
  return join(dist, 'index.html')
}

const httpServer = createServer(async (request, response) => {
  try {
    const file = await fileFor(new URL(request.url ?? '/', 'http://localhost').pathname)
    const immutable = file.includes(`${join(dist, 'assets')}`)
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    createReadStream(file).pipe(response)
  } catch {
    response.writeHead(400).end()
  }
})
const signaling = createSignalingServer({ httpServer })

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
httpServer.listen(port, host, () => {
  console.log(`Listening on http://${host}:${port}`)
})
for (const stop of ['SIGINT', 'SIGTERM']) {
  process.once(stop, () => signaling.drain().then(() => process.exit(0)))
}
