import type { ClientToServerEvents, ServerToClientEvents, Signal } from '@duet/core/protocol'
import { io, type Socket } from 'socket.io-client'

/** A raw signaling client, as an attacker or a test writes one. */
export type HostileClient = Socket<ServerToClientEvents, ClientToServerEvents>

// Generous: on a shared 2-core machine a loaded server answers late, which is not an attack won.
const TIMEOUT_MS = 30_000

/**
 * Opens a WebSocket client that claims `address` in `X-Forwarded-For` (believed by a server that
 * trusts loopback as its proxy); resolves once connected, or with the refusal's message.
 */
export function open(
  url: string,
  address: string,
  auth: Record<string, unknown> = {},
): Promise<{ client: HostileClient; refused?: string }> {
  const client: HostileClient = io(url, {
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    timeout: TIMEOUT_MS,
    extraHeaders: { 'x-forwarded-for': address },
    auth,
  })
  return new Promise((resolve) => {
    client.once('connect', () => resolve({ client }))
    client.once('connect_error', (error) => {
      client.close()
      resolve({ client, refused: error.message })
    })
  })
}

/** Opens a client, failing if it is refused. */
export async function connected(
  url: string,
  address: string,
  auth?: Record<string, unknown>,
): Promise<HostileClient> {
  const { client, refused } = await open(url, address, auth)
  if (refused !== undefined) throw new Error(`connection refused: ${refused}`)
  return client
}

/** Joins `roomId` and returns the peer id and resume token. */
export async function join(
  client: HostileClient,
  roomId: string,
): Promise<{ peerId: string; resumeToken: string }> {
  const result = await client.timeout(TIMEOUT_MS).emitWithAck('room:join', { roomId })
  if (!result.ok) throw new Error(`join failed: ${result.error.code}`)
  return { peerId: result.peerId, resumeToken: result.resumeToken }
}

/** The largest offer the protocol accepts, in three-byte characters: the most bytes per relay. */
export const MAX_OFFER: Signal = { type: 'offer', sdp: '€'.repeat(64 * 1024) }

/** A numbered candidate, for checking order and loss. */
export const numbered = (n: number): Signal => ({
  type: 'candidate',
  candidate: { candidate: `candidate:${n}`, sdpMid: '0', sdpMLineIndex: 0 },
})

/** The number of a relay sent with {@link numbered}, or undefined. */
export const numberOf = (signal: Signal): number | undefined =>
  signal.type === 'candidate' && signal.candidate
    ? Number(signal.candidate.candidate.split(':')[1])
    : undefined

/** Sends a relay and resolves with the error code, or `'ok'`, or `'timeout'`. */
export async function send(client: HostileClient, to: string, signal: Signal): Promise<string> {
  try {
    const ack = await client.timeout(TIMEOUT_MS).emitWithAck('signal:send', { to, signal })
    return ack.ok ? 'ok' : ack.error.code
  } catch {
    return 'timeout'
  }
}

/** Acknowledges kept relays as @duet/core does; call once per client that receives. */
export function ackKept(client: HostileClient): void {
  client.on('signal:receive', (_message, ack) => {
    if (typeof ack === 'function') ack()
  })
}

/** Closes every client. */
export function closeAll(clients: readonly HostileClient[]): void {
  for (const client of clients) client.close()
}

/** Two clients from one address in one room, with their peer ids and the first one's token. */
export async function pairIn(
  url: string,
  address: string,
  roomId: string,
): Promise<{ first: HostileClient; second: HostileClient; ids: [string, string]; token: string }> {
  const first = await connected(url, address)
  const second = await connected(url, address)
  const { peerId, resumeToken } = await join(first, roomId)
  const other = await join(second, roomId)
  return { first, second, ids: [peerId, other.peerId], token: resumeToken }
}
