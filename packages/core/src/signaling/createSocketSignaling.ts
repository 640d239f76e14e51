import type {
  ClientToServerEvents,
  Failure,
  IceRefreshSuccess,
  JoinSuccess,
  OfferSignal,
  ServerToClientEvents,
  Signal,
} from '../protocol'
import { parsePeerAway } from '../protocol'
import { SignalingError } from './SignalingError'
import type { JoinOptions, SignalingNotice, SignalingTransport } from './signaling.types'
import { createSocketClient } from './socketio/createSocketClient'
import type { SocketClientOptions } from './socketio/socketio.types'

/** Options of {@link createSocketSignaling}. */
export interface SocketSignalingOptions {
  /**
   * How long a request may wait for the server's ack before failing as unreachable.
   * @default 10000
   */
  timeoutMs?: number
  /** Socket.io client options (auth, path, transports, reconnection backoff, WebSocket…). */
  socket?: SocketClientOptions
  /**
   * Supplies the authentication token (sent as `auth.token`): asked on every connect and
   * reconnect, and again when the server says the current token is expiring, so a long call
   * outlives short-lived tokens. Overrides `socket.auth`.
   * @example createSocketSignaling(url, { getToken: () => fetch('/token').then((r) => r.text()) })
   */
  getToken?: () => string | Promise<string>
}

// While the server still sees the old connection open (it notices a dead one within its ping
// interval plus timeout: 10 s with Duet's defaults, 45 s with Socket.io's), a resume is refused
// with PLACE_IN_USE: ask again, soon at first (a connection dropped a moment ago, e.g. one a
// wake replaced, is usually seen closed within ms), then every 2 s, for about a minute.
const PLACE_IN_USE_RETRY_MS = 2000
const PLACE_IN_USE_FIRST_RETRY_MS = 250
const PLACE_IN_USE_RETRIES = 32
const placeInUseWaitMs = (attempt: number) =>
  Math.min(PLACE_IN_USE_RETRY_MS, PLACE_IN_USE_FIRST_RETRY_MS * 2 ** attempt)

/** How soon after a wake a dropped socket counts as found dead by the wake (ms). */
const WAKE_DROP_WINDOW_MS = 5000

/** How many times a resume that timed out is asked for before taking a fresh place. */
const RESUME_ATTEMPTS = 3

async function request<T extends { ok: true }>(
  url: string,
  call: () => Promise<T | Failure>,
): Promise<T> {
  let result: T | Failure
  try {
    result = await call()
  } catch {
    throw new SignalingError('signaling-unreachable', `signaling server at ${url} did not answer`)
  }
  if (!result.ok) throw new SignalingError(result.error.code, result.error.message)
  return result
}

/**
 * The Socket.io signaling transport for a Duet server. It survives reconnects: when Socket.io
 * cannot restore the session by itself, it rejoins the room as the same peer with the resume
 * token of its join.
 * @example createCall({ signaling: () => createSocketSignaling('https://signal.example.com') })
 */
export function createSocketSignaling(
  url: string,
  options: SocketSignalingOptions = {},
): SignalingTransport {
  const timeoutMs = options.timeoutMs ?? 10_000
  const { getToken } = options
  // WebSocket first (the client's default) saves the polling round trips on the join path;
  // polling stays as fallback.
  const socket = createSocketClient<ServerToClientEvents, ClientToServerEvents>(url, {
    ...options.socket,
    // Socket.io calls this on every (re)connect: a reconnect an hour later gets a fresh token.
    ...(getToken
      ? {
          auth: (send: (auth: { token?: string }) => void) => {
            Promise.resolve()
              .then(getToken)
              .then(
                (token) => send({ token }),
                () => send({}),
              )
          },
        }
      : {}),
  })
  let closed = false
  const listeners = new Set<(notice: SignalingNotice) => void>()
  const notify = (notice: SignalingNotice) => {
    for (const listener of listeners) listener(notice)
  }
  let membership: JoinSuccess | null = null
  let connectedBefore = false
  // The socket opens when the transport is made, often well before the join: the server may
  // have gone between the two.
  let lastConnectFailed = false
  socket.on('connect_error', () => {
    lastConnectFailed = true
  })

  // A join sent while the socket is down and its last connect was refused means the server is
  // unreachable: say so at once (or at the next refusal) instead of after the ack timeout.
  const refusedBeforeConnect = () =>
    new Promise<never>((_, reject) => {
      if (socket.connected) return
      if (lastConnectFailed) return reject(new Error('connection refused'))
      socket.once('connect_error', () => reject(new Error('connection refused')))
    })

  const join = (roomId: string, resume?: { peerId: string; token: string }, offer?: OfferSignal) =>
    request<JoinSuccess>(url, () =>
      Promise.race([
        socket.request(
          'room:join',
          timeoutMs,
          resume ? { roomId, resume } : offer ? { roomId, offer } : { roomId },
        ),
        refusedBeforeConnect(),
      ]),
    ).then((result) => {
      membership = result
      return result
    })

  // A resume the server did not answer in time may still have run (a busy store): the place and
  // the relays kept for it stay until we take them, so the same claim is asked again.
  const resumeWithRetry = async (roomId: string, resume: { peerId: string; token: string }) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await join(roomId, resume)
      } catch (error) {
        const timedOut = error instanceof SignalingError && error.code === 'signaling-unreachable'
        if (!timedOut || attempt >= RESUME_ATTEMPTS || !socket.connected) throw error
      }
    }
  }

  // Bumped on every connect: a retry scheduled before a newer reconnect leaves that one to it.
  let connects = 0

  async function rejoin(previous: JoinSuccess, attempt = 0): Promise<void> {
    const connect = connects
    const resume = { peerId: previous.peerId, token: previous.resumeToken }
    try {
      const result = await resumeWithRetry(previous.roomId, resume)
      notify(
        result.peerId === previous.peerId ? { type: 'reconnected' } : { type: 'rejoined', result },
      )
    } catch (error) {
      if (!(error instanceof SignalingError)) throw error
      if (error.code === 'ALREADY_IN_ROOM') return notify({ type: 'reconnected' })
      if (error.code === 'PLACE_IN_USE' && attempt < PLACE_IN_USE_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, placeInUseWaitMs(attempt)))
        // Closed, or reconnected again (that reconnect rejoins by itself) meanwhile.
        if (membership !== previous || connects !== connect || !socket.connected) return
        return rejoin(previous, attempt + 1)
      }
      // The old place is gone (window passed, server restarted): take a fresh one.
      try {
        notify({ type: 'rejoined', result: await join(previous.roomId) })
      } catch (fresh) {
        if (fresh instanceof SignalingError) notify({ type: 'rejoin-failed', error: fresh })
      }
    }
  }

  socket.on('connect', () => {
    connects += 1
    lastConnectFailed = false
    const reconnect = connectedBefore
    connectedBefore = true
    if (!reconnect || !membership) return
    // Connection state recovery gave the session back, rooms and missed relays included.
    if (socket.recovered) return notify({ type: 'reconnected' })
    void rejoin(membership)
  })
  // A page thawed after its socket died hears of the drop only after its `resume` event (the
  // close waits in the frozen queue behind it), when the wake found the socket still connected:
  // a drop that soon after a wake is reconnected at once too, not after Socket.io's backoff.
  let wokeAt = Number.NEGATIVE_INFINITY
  const reconnectNow = () => {
    if (closed || socket.connected) return
    socket.connect()
  }
  socket.on('disconnect', (reason) => {
    notify({ type: 'disconnected', reason })
    const justWoke = Date.now() - wokeAt < WAKE_DROP_WINDOW_MS
    if (justWoke && reason !== 'io client disconnect') setTimeout(reconnectNow, 0)
  })
  socket.on('peer:joined', ({ peerId }) => notify({ type: 'peer-joined', peerId }))
  socket.on('peer:left', ({ peerId }) => notify({ type: 'peer-left', peerId }))
  socket.on('peer:away', (payload) => {
    const away = parsePeerAway(payload)
    if (away.ok) notify({ type: 'peer-away', ...away.value })
  })
  socket.on('peer:back', ({ peerId }) => notify({ type: 'peer-back', peerId }))
  socket.on('signal:receive', (relay, ack) => {
    // The server validates what it relays; a payload without that shape is not worth a crash.
    if (typeof relay?.from === 'string' && typeof relay.signal?.type === 'string') {
      notify({ type: 'signal', from: relay.from, signal: relay.signal })
    }
    // Kept relays come with an ack: the server holds them until we confirm.
    if (typeof ack === 'function') ack()
  })
  // A draining server keeps our place for the resume window; reconnecting now (through the load
  // balancer, to another node) beats waiting for it to cut us off.
  socket.on('server:draining', () => socket.dropTransport())
  // The connection came back but the place did not (window passed, or taken over): join again.
  socket.on('room:lost', () => {
    if (membership) void rejoin(membership)
  })
  // Without a fresh token the server disconnects us at `expiresAt`; a refused refresh leaves
  // that to happen (and the app sees the disconnect).
  socket.on('auth:expiring', () => {
    if (!getToken) return
    Promise.resolve()
      .then(getToken)
      .then((token) => socket.request('auth:refresh', timeoutMs, { token }))
      .catch(() => {})
  })

  return {
    join: (roomId: string, joinOptions?: JoinOptions) =>
      join(roomId, undefined, joinOptions?.offer),
    send: async (to: string, signal: Signal) => {
      await request<{ ok: true }>(url, () =>
        socket.request('signal:send', timeoutMs, { to, signal }),
      )
    },
    rejoin: async () => {
      const previous = membership
      if (!previous) throw new SignalingError('NOT_IN_ROOM', 'rejoin needs a room to leave')
      await request<{ ok: true }>(url, () => socket.request('room:leave', timeoutMs)).catch(
        (error: unknown) => {
          // The server already let the place go (its window passed): the join is all that is left.
          if (!(error instanceof SignalingError && error.code === 'NOT_IN_ROOM')) throw error
        },
      )
      return join(previous.roomId)
    },
    refreshIceServers: () =>
      request<IceRefreshSuccess>(url, () => socket.request('ice:refresh', timeoutMs)),
    wake() {
      wokeAt = Date.now()
      reconnectNow()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      closed = true
      membership = null
      listeners.clear()
      socket.removeAllListeners()
      socket.disconnect()
    },
  }
}
