// The anchor: a bare Socket.io relay as WebRTC tutorials write it ("create or join" a room of
// two, then relay every "message" to the other one). No validation, no acks, no limits.
// Run as a process: node relay.mjs --port <n> [--redis <url>] [--ws-engine eiows]
//   [--transports websocket] [--per-message-deflate] [--recovery] [--ack]
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Server } from 'socket.io'

/**
 * Attaches the relay to an HTTP server; `options` go to the Socket.io `Server` unchanged, so
 * the bench can try engine settings on it.
 */
export function attachRelay(httpServer, options = {}, { ack = false } = {}) {
  const io = new Server(httpServer, { serveClient: false, cors: { origin: '*' }, ...options })
  io.on('connection', (socket) => {
    let room = null
    socket.on('message', (message, callback) => {
      if (room) socket.to(room).emit('message', message)
      if (ack && typeof callback === 'function') callback({ ok: true })
    })
    socket.on('create or join', (wanted) => {
      if (room || typeof wanted !== 'string') return
      const present = io.sockets.adapter.rooms.get(wanted)?.size ?? 0
      if (present === 0) {
        room = wanted
        socket.join(room)
        socket.emit('created', room, socket.id)
      } else if (present === 1) {
        io.to(wanted).emit('join', wanted)
        room = wanted
        socket.join(room)
        socket.emit('joined', room, socket.id)
        io.to(room).emit('ready')
      } else {
        socket.emit('full', wanted)
      }
    })
  })
  return io
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      redis: { type: 'string' },
      'ws-engine': { type: 'string' },
      transports: { type: 'string' },
      'per-message-deflate': { type: 'boolean' },
      recovery: { type: 'boolean' },
      ack: { type: 'boolean' },
    },
  })
  const options = {}
  if (values['ws-engine']) options.wsEngine = (await import(values['ws-engine'])).Server
  if (values.transports) options.transports = values.transports.split(',')
  if (values['per-message-deflate']) options.perMessageDeflate = true
  if (values.recovery) options.connectionStateRecovery = { maxDisconnectionDuration: 30_000 }
  const httpServer = createServer()
  const io = attachRelay(httpServer, options, { ack: values.ack })
  if (values.redis) {
    const { createClient } = await import('redis')
    const { createAdapter } = await import('@socket.io/redis-adapter')
    const pub = createClient({ url: values.redis })
    const sub = pub.duplicate()
    await Promise.all([pub.connect(), sub.connect()])
    io.adapter(createAdapter(pub, sub))
  }
  httpServer.listen(Number(values.port), '127.0.0.1', () => {
    console.log(`relay listening on ${httpServer.address().port}`)
  })
  process.on('SIGTERM', () => process.exit(0))
}

if (fileURLToPath(import.meta.url) === process.argv[1]) await main()
