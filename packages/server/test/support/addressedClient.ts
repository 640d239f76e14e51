import { io, type Socket } from 'socket.io-client'

/** A WebSocket-only Socket.io client from a loopback address of its own, as a distinct client. */
export interface AddressedClient {
  /** Whether the server let it in (connect) or refused it (connect_error). */
  connected: Promise<boolean>
  socket: Socket
}

/**
 * Connects to `url` from `localAddress` (any 127.x.y.z), trusting a self-signed certificate,
 * optionally sending its own `X-Forwarded-For`.
 */
export function addressedClient(
  url: string,
  localAddress: string,
  forwardedFor?: string,
): AddressedClient {
  // engine.io-client hands `localAddress` to Node's WebSocket (ws); its types leave it out.
  const nodeOnly = { localAddress }
  const socket = io(url, {
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    rejectUnauthorized: false,
    ...nodeOnly,
    ...(forwardedFor ? { extraHeaders: { 'x-forwarded-for': forwardedFor } } : {}),
  })
  const connected = new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true))
    socket.once('connect_error', () => resolve(false))
  })
  return { connected, socket }
}
