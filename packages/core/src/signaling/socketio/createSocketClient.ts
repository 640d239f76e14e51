import { type Engine, openEngine } from './engine'
import {
  ACK,
  CONNECT,
  CONNECT_ERROR,
  DISCONNECT,
  decodePacket,
  EVENT,
  encodePacket,
  type SocketPacket,
} from './packets'
import type { SocketAuth, SocketClientOptions } from './socketio.types'

/** Events the client itself emits, besides the server's. */
export interface ReservedEvents {
  connect: () => void
  /** An attempt failed: no transport opened, or the server refused (`data` says why then). */
  connect_error: (error: Error & { data?: unknown }) => void
  disconnect: (reason: string) => void
}

/** Arguments of a client-to-server event, without its ack callback. */
type RequestArgs<F> = F extends (...args: infer A) => void
  ? A extends [...infer Head, (...results: never[]) => void]
    ? Head
    : never
  : never

/** What the server's ack carries. */
type AckResult<F> = F extends (...args: infer A) => void
  ? A extends [...unknown[], (result: infer R) => void]
    ? R
    : never
  : never

/** A Socket.io client socket: reconnects by itself, buffers what is sent while it is down. */
export interface SocketClient<Listen extends object, Emit extends object> {
  readonly connected: boolean
  /** The last connect got the session back (Socket.io connection state recovery). */
  readonly recovered: boolean
  on<E extends keyof (Listen & ReservedEvents)>(
    event: E,
    listener: (Listen & ReservedEvents)[E],
  ): void
  once<E extends keyof ReservedEvents>(event: E, listener: ReservedEvents[E]): void
  /**
   * Emits an event and waits for the server's ack; rejects when it does not come within
   * `timeoutMs`, or when the connection drops after the event left.
   */
  request<E extends keyof Emit & string>(
    event: E,
    timeoutMs: number,
    ...args: RequestArgs<Emit[E]>
  ): Promise<AckResult<Emit[E]>>
  /** Connects now if not connected, dropping a pending attempt and the backoff wait. */
  connect(): void
  /** Closes the transport as a drop would: the client reconnects by itself. */
  dropTransport(): void
  /** Leaves for good: no reconnection. */
  disconnect(): void
  removeAllListeners(): void
}

type Listener = (...args: unknown[]) => void
interface PendingAck {
  settle(error: Error | undefined, result?: unknown): void
  text: string
  sent: boolean
}

/**
 * A Socket.io (protocol v5, Engine.IO v4) client with what Duet's signaling uses: events and
 * acks on one namespace, handshake auth, reconnection with jittered backoff, connection state
 * recovery, WebSocket with long polling as fallback. What socket.io-client would add (binary
 * packets, multiplexed namespaces, transport upgrades) Duet never sends, and costs ~13 KB gzip.
 */
export function createSocketClient<Listen extends object, Emit extends object>(
  url: string,
  options: SocketClientOptions = {},
): SocketClient<Listen, Emit> {
  const target = new URL(url, globalThis.location?.href)
  const nsp = target.pathname
  // A ws:// or wss:// address is taken as socket.io-client takes it: the same server over HTTP(S).
  const secure = target.protocol === 'https:' || target.protocol === 'wss:'
  const engineUrl = new URL(`${secure ? 'https' : 'http'}://${target.host}`)
  engineUrl.pathname = `${(options.path ?? '/socket.io').replace(/\/$/, '')}/`
  // The URL's own query travels with the connection, as with socket.io-client.
  for (const [key, value] of [...target.searchParams, ...Object.entries(options.query ?? {})]) {
    engineUrl.searchParams.set(key, value)
  }
  engineUrl.searchParams.set('EIO', '4')
  const engineOptions = {
    transports: options.transports ?? ['websocket', 'polling'],
    timeoutMs: options.timeout ?? 20_000,
    withCredentials: options.withCredentials ?? false,
    WebSocket: options.WebSocket,
  }
  const delayMs = options.reconnectionDelay ?? 1000
  const delayMaxMs = options.reconnectionDelayMax ?? 5000
  const jitter = options.randomizationFactor ?? 0.5

  const listeners = new Map<string, Set<Listener>>()
  const acks = new Map<number, PendingAck>()
  let nextAckId = 0
  let engine: Engine | undefined
  let connected = false
  let recovered = false
  // False once the client or the server ended the session: no reconnection then.
  let active = true
  let attempts = 0
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  // Connection state recovery: the session's private id and the last event's offset.
  let pid: string | undefined
  let lastOffset: string | undefined

  const fire = (event: string, ...args: unknown[]) => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(...args)
  }
  const send = (packet: Omit<SocketPacket, 'nsp'>) => engine?.send(encodePacket({ ...packet, nsp }))

  // What left before a drop will get no ack: fail it now. What waits to leave goes out later.
  const failSentAcks = () => {
    for (const [id, ack] of acks) {
      if (ack.sent) {
        acks.delete(id)
        ack.settle(new Error('socket has been disconnected'))
      }
    }
  }

  const backoffMs = () => {
    // Capped: past 2^16 the wait is at its maximum anyway, and 2^1024 would be Infinity.
    const nominal = delayMs * 2 ** Math.min(attempts++, 16)
    const deviation = Math.floor(Math.random() * jitter * nominal)
    return Math.min(Math.random() < 0.5 ? nominal - deviation : nominal + deviation, delayMaxMs)
  }
  const scheduleReconnect = () => {
    if (!active) return
    clearTimeout(reconnectTimer)
    reconnectTimer = setTimeout(open, backoffMs())
  }

  const onConnected = (data: { pid?: string } | undefined) => {
    connected = true
    attempts = 0
    recovered = data?.pid !== undefined && data.pid === pid
    pid = data?.pid
    for (const ack of acks.values()) {
      if (ack.sent) continue
      ack.sent = true
      engine?.send(ack.text)
    }
    fire('connect')
  }

  const onEvent = ({ id, data }: SocketPacket) => {
    if (!Array.isArray(data) || typeof data[0] !== 'string') return
    const args: unknown[] = data.slice(1)
    if (id !== undefined) {
      let answered = false
      args.push((...results: unknown[]) => {
        if (answered) return
        answered = true
        send({ type: ACK, id, data: results })
      })
    } else if (pid && typeof args.at(-1) === 'string') {
      // With recovery on, the server appends each event's offset: the resume point.
      lastOffset = args.at(-1) as string
    }
    fire(data[0], ...args)
  }

  const onPacket = (packet: SocketPacket | undefined) => {
    if (!packet || packet.nsp !== nsp) return
    switch (packet.type) {
      case CONNECT:
        return onConnected(packet.data as { pid?: string } | undefined)
      case EVENT:
        return onEvent(packet)
      case ACK: {
        const ack = packet.id === undefined ? undefined : acks.get(packet.id)
        if (!ack) return
        acks.delete(packet.id as number)
        return ack.settle(undefined, Array.isArray(packet.data) ? packet.data[0] : undefined)
      }
      case DISCONNECT:
        active = false
        engine?.close()
        return onClosed('io server disconnect')
      case CONNECT_ERROR: {
        // The server refused the handshake (auth, origin…): asking again would be refused too.
        active = false
        engine?.close()
        engine = undefined
        const refusal = packet.data as { message?: string; data?: unknown } | undefined
        const error: Error & { data?: unknown } = new Error(refusal?.message ?? 'refused')
        error.data = refusal?.data
        return fire('connect_error', error)
      }
    }
  }

  function onClosed(reason: string) {
    engine = undefined
    if (connected) {
      connected = false
      failSentAcks()
      fire('disconnect', reason)
    } else {
      fire('connect_error', new Error(reason))
    }
    scheduleReconnect()
  }

  function open() {
    clearTimeout(reconnectTimer)
    engine?.close()
    const current = openEngine(engineUrl, engineOptions, {
      open() {
        const connectWith = (auth: SocketAuth | undefined) => {
          if (engine !== current) return
          send({ type: CONNECT, data: pid ? { pid, offset: lastOffset, ...auth } : auth })
        }
        if (typeof options.auth === 'function') options.auth(connectWith)
        else connectWith(options.auth)
      },
      message: (text) => {
        if (engine === current) onPacket(decodePacket(text))
      },
      closed: (reason) => {
        if (engine === current) onClosed(reason)
      },
      failed: (error) => {
        if (engine !== current) return
        engine = undefined
        fire('connect_error', error)
        scheduleReconnect()
      },
    })
    engine = current
  }

  open()

  return {
    get connected() {
      return connected
    },
    get recovered() {
      return recovered
    },
    on(event, listener) {
      const set = listeners.get(event as string) ?? new Set()
      set.add(listener as Listener)
      listeners.set(event as string, set)
    },
    once(event, listener) {
      const once: Listener = (...args) => {
        listeners.get(event)?.delete(once)
        ;(listener as Listener)(...args)
      }
      this.on(event, once as (Listen & ReservedEvents)[typeof event])
    },
    request(event, timeoutMs, ...args) {
      const id = nextAckId++
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          acks.delete(id)
          reject(new Error('operation has timed out'))
        }, timeoutMs)
        const ack: PendingAck = {
          text: encodePacket({ type: EVENT, nsp, id, data: [event, ...args] }),
          sent: connected,
          settle(error, result) {
            clearTimeout(timer)
            if (error) reject(error)
            else resolve(result as AckResult<Emit[typeof event]>)
          },
        }
        acks.set(id, ack)
        if (connected) engine?.send(ack.text)
      })
    },
    connect() {
      active = true
      if (connected) return
      attempts = 0
      open()
    },
    dropTransport() {
      if (!engine) return
      engine.close()
      onClosed('forced close')
    },
    disconnect() {
      active = false
      clearTimeout(reconnectTimer)
      if (connected) send({ type: DISCONNECT })
      engine?.close()
      engine = undefined
      if (!connected) return
      connected = false
      failSentAcks()
      fire('disconnect', 'io client disconnect')
    },
    removeAllListeners() {
      listeners.clear()
    },
  }
}
