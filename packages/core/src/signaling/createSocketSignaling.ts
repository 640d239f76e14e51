import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import type {
  Ack,
  ClientToServerEvents,
  JoinSuccess,
  ServerToClientEvents,
  Signal,
} from '../protocol'
import { SignalingError } from './SignalingError'
import type { SignalingNotice, SignalingTransport } from './signaling.types'

/** Options of {@link createSocketSignaling}. */
export interface SocketSignalingOptions {
  /**
   * How long a request may wait for the server's ack before failing as unreachable.
   * @default 10000
   */
  timeoutMs?: number
  /** Extra Socket.io client options (auth, path, transports…). */
  socket?: Partial<ManagerOptions & SocketOptions>
}

type DuetSocket = Socket<ServerToClientEvents, ClientToServerEvents>

function unreachable(url: string): SignalingError {
  return new SignalingError('signaling-unreachable', `signaling server at ${url} did not answer`)
}

async function request<T extends Ack | { ok: true }>(
  url: string,
  call: () => Promise<T | Ack>,
): Promise<T> {
  let result: T | Ack
  try {
    result = await call()
  } catch {
    throw unreachable(url)
  }
  if (!result.ok) throw new SignalingError(result.error.code, result.error.message)
  return result as T
}

/**
 * The Socket.io signaling transport for a Duet server.
 * @example createCall({ signaling: () => createSocketSignaling('https://signal.example.com') })
 */
export function createSocketSignaling(
  url: string,
  options: SocketSignalingOptions = {},
): SignalingTransport {
  const timeoutMs = options.timeoutMs ?? 10_000
  // WebSocket first saves the polling round trips on the join path; polling stays as fallback.
  const socket: DuetSocket = io(url, {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    forceNew: true,
    ...options.socket,
  })
  const listeners = new Set<(notice: SignalingNotice) => void>()
  const notify = (notice: SignalingNotice) => {
    for (const listener of listeners) listener(notice)
  }
  let connectedBefore = false
  socket.on('connect', () => {
    if (connectedBefore) notify({ type: 'reconnected' })
    connectedBefore = true
  })
  socket.on('disconnect', (reason) => notify({ type: 'disconnected', reason }))
  socket.on('peer:joined', ({ peerId }) => notify({ type: 'peer-joined', peerId }))
  socket.on('peer:left', ({ peerId }) => notify({ type: 'peer-left', peerId }))
  socket.on('signal:receive', ({ from, signal }) => notify({ type: 'signal', from, signal }))

  return {
    join: (roomId: string) =>
      request<JoinSuccess>(url, () =>
        socket.timeout(timeoutMs).emitWithAck('room:join', { roomId }),
      ),
    send: async (to: string, signal: Signal) => {
      await request(url, () => socket.timeout(timeoutMs).emitWithAck('signal:send', { to, signal }))
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      socket.removeAllListeners()
      socket.disconnect()
    },
  }
}
