// The production server: serves the built app from dist/ and the Duet signaling server on one
// port. `npm run build && npm start`.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from './serve.js'

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

serve(async (request, response) => {
  try {
    const file = await fileFor(new URL(request.url ?? '/', 'http://localhost').pathname)
    const immutable = file.startsWith(join(dist, 'assets'))
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    createReadStream(file).pipe(response)
  } catch {
    response.writeHead(400).end()
  }
})
