import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
}

// Client-side routes that all render index.html; the page itself decides what to show.
const SPA_ROUTE = /^\/(?:room\/[^/]+\/?)?$/

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Serves a built Vite app from `root`, falling back to index.html for the app's routes. */
export function serveStatic(root: string): Handler {
  const base = resolve(root)
  return (req, res) => {
    handle(base, req, res).catch((error: unknown) => {
      console.error('demo: failed to serve', req.url, error)
      if (!res.headersSent) send(res, 500, 'Internal server error')
      else res.destroy()
    })
  }
}

async function handle(base: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    return send(res, 405, 'Method not allowed')
  }
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
  } catch {
    return send(res, 400, 'Bad request')
  }
  if (SPA_ROUTE.test(pathname)) return sendFile(base, req, res, join(base, 'index.html'))

  const file = resolve(base, `.${pathname}`)
  // resolve() collapses `..`, so anything outside the root is a traversal attempt.
  if (pathname.includes('\0') || !file.startsWith(base + sep)) return send(res, 404, 'Not found')
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return send(res, 404, 'Not found')
  return sendFile(base, req, res, file, info.size)
}

async function sendFile(
  base: string,
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  size?: number,
): Promise<void> {
  const length = size ?? (await stat(file)).size
  res.statusCode = 200
  res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
  res.setHeader('Content-Length', length)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  // Vite puts a content hash in every file under assets/, so those never change; the rest might.
  const immutable = file.startsWith(`${base}${sep}assets${sep}`)
  res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
  if (req.method === 'HEAD') return void res.end()
  await pipeline(createReadStream(file), res)
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text)
}
