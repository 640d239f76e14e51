import { createSignalingServer, type SignalingServer } from '@duet/server'
import wrtc from '@roamhq/wrtc'

/** The Node WebRTC stack (libwebrtc) as the call platform: happy-dom has no RTCPeerConnection. */
export const nodePlatform = {
  RTCPeerConnection: wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
}

/** A real signaling server on an ephemeral loopback port; `maxPeersPerRoom` for group calls. */
export async function startServer(
  options: { maxPeersPerRoom?: number } = {},
): Promise<{ server: SignalingServer; url: string }> {
  const server = createSignalingServer({ port: 0, host: '127.0.0.1', ...options })
  await server.ready
  const address = server.address()
  if (!address) throw new Error('server has no address')
  return { server, url: `http://127.0.0.1:${address.port}` }
}
