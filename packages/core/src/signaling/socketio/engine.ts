import { openPolling } from './polling'
import type { EngineOptions, Handshake, Pipe, PipeEvents, TransportName } from './socketio.types'

// Engine.IO protocol v4: one character names each packet.
const OPEN = '0'
const CLOSE = '1'
const PING = '2'
const PONG = '3'
const MESSAGE = '4'

/** What an engine connection tells its socket. */
export interface EngineHandlers {
  /** The server's handshake arrived: messages may flow. */
  open(): void
  message(text: string): void
  /** An open connection ended (not by `close()`): `transport close`, `ping timeout`… */
  closed(reason: string): void
  /** No transport could open a connection. */
  failed(error: Error): void
}

/** One Engine.IO connection, opened over the first transport that answers. */
export interface Engine {
  send(text: string): void
  /** Ends the connection without calling any handler. */
  close(): void
}

function openWebSocket(url: URL, options: EngineOptions, events: PipeEvents): Pipe | undefined {
  const WebSocketClass = options.WebSocket ?? globalThis.WebSocket
  if (!WebSocketClass) return undefined
  const wsUrl = new URL(url)
  wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  wsUrl.searchParams.set('transport', 'websocket')
  const socket = new WebSocketClass(wsUrl)
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') events.packets([event.data])
  }
  socket.onclose = () => events.ended('transport close')
  socket.onerror = () => events.ended('transport error')
  return {
    send: (packets) => {
      for (const packet of packets) socket.send(packet)
    },
    close: () => {
      socket.onclose = socket.onerror = socket.onmessage = null
      socket.close()
    },
  }
}

function parseHandshake(text: string): Handshake | undefined {
  try {
    const { sid, pingInterval, pingTimeout, maxPayload } = JSON.parse(text) as Partial<
      Record<keyof Handshake, unknown>
    >
    if (typeof sid !== 'string') return undefined
    if (typeof pingInterval !== 'number' || typeof pingTimeout !== 'number') return undefined
    return {
      sid,
      pingInterval,
      pingTimeout,
      ...(typeof maxPayload === 'number' ? { maxPayload } : {}),
    }
  } catch {
    return undefined
  }
}

const PIPES: Record<TransportName, typeof openWebSocket> = {
  websocket: openWebSocket,
  polling: openPolling,
}

/**
 * Opens an Engine.IO connection, trying `options.transports` in order until one answers with a
 * handshake: WebSocket where the runtime has one, long polling (fetch) where a proxy or the
 * server refuses it. The connection never upgrades: it stays on the transport that opened it.
 */
export function openEngine(url: URL, options: EngineOptions, handlers: EngineHandlers): Engine {
  const remaining = [...options.transports]
  let pipe: Pipe | undefined
  let open = false
  let over = false
  let pingTimer: ReturnType<typeof setTimeout> | undefined
  let pingDeadline = Number.POSITIVE_INFINITY
  let pingWindowMs = 0
  const connectTimer = setTimeout(() => fail(new Error('timeout')), options.timeoutMs)

  const stop = () => {
    over = true
    clearTimeout(connectTimer)
    clearTimeout(pingTimer)
    pipe?.close()
  }
  const fail = (error: Error) => {
    if (over) return
    stop()
    handlers.failed(error)
  }
  const end = (reason: string) => {
    if (over) return
    stop()
    handlers.closed(reason)
  }
  // The server pings every interval; silence past interval + timeout means the link is dead.
  const armPing = () => {
    clearTimeout(pingTimer)
    pingDeadline = Date.now() + pingWindowMs
    pingTimer = setTimeout(() => end('ping timeout'), pingWindowMs)
  }
  const onPacket = (packet: string) => {
    const type = packet[0]
    if (type === OPEN && !open) {
      const handshake = parseHandshake(packet.slice(1))
      if (!handshake) return fail(new Error('parse error'))
      open = true
      clearTimeout(connectTimer)
      pingWindowMs = handshake.pingInterval + handshake.pingTimeout
      armPing()
      pipe?.opened?.(handshake)
      handlers.open()
    } else if (type === PING) {
      pipe?.send([PONG])
      armPing()
    } else if (type === MESSAGE) {
      handlers.message(packet.slice(1))
    } else if (type === CLOSE) {
      end('transport close')
    }
  }
  const tryNext = (error: Error) => {
    for (let name = remaining.shift(); name; name = remaining.shift()) {
      let current: Pipe | undefined
      const events: PipeEvents = {
        packets: (packets) => {
          for (const packet of packets) {
            if (over || pipe !== current) return
            onPacket(packet)
          }
        },
        ended: (reason) => {
          if (over || pipe !== current) return
          if (open) return end(reason)
          current?.close()
          tryNext(new Error(`${name} error`))
        },
      }
      try {
        current = PIPES[name](url, options, events)
      } catch {
        // A URL this transport cannot take: the next one may.
      }
      if (current) {
        pipe = current
        return
      }
    }
    fail(error)
  }
  tryNext(new Error('no transport this runtime can open (pass a WebSocket constructor)'))

  return {
    send(text) {
      if (!open || over) return
      // A frozen page's timers fire late: a deadline already passed means the link is gone.
      if (Date.now() > pingDeadline) return end('ping timeout')
      pipe?.send([MESSAGE + text])
    },
    close: stop,
  }
}
