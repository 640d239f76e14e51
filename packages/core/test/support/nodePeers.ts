import {
  createSignalingServer,
  type SignalingServer,
  type SignalingServerOptions,
} from '@duet/server'
import wrtc from '@roamhq/wrtc'
import { waitFor } from 'xstate'
import {
  type CallActor,
  type CallOptions,
  type CallStatus,
  connectCall,
  createCall,
} from '../../src'

/** The Node WebRTC stack (libwebrtc), as a call platform. */
export const nodePlatform = {
  RTCPeerConnection: wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
}

/** The Node stack with a register of every connection it made, to check none is left open. */
export function countingPlatform({ offerDelayMs = 0 }: { offerDelayMs?: number } = {}) {
  const made: RTCPeerConnection[] = []
  const rollbacks = { count: 0 }
  const offers = { count: 0 }
  class CountedPeerConnection extends nodePlatform.RTCPeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config)
      made.push(this)
      // Counted without overriding: its overloads (callbacks or a promise) resist a subclass.
      const createOffer = this.createOffer.bind(this) as (
        options?: RTCOfferOptions,
      ) => Promise<RTCSessionDescriptionInit>
      Object.assign(this, {
        createOffer: async (options?: RTCOfferOptions) => {
          offers.count += 1
          const offer = await createOffer(options)
          // A busy page, where making an offer takes a while.
          if (offerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, offerDelayMs))
          return offer
        },
      })
    }
    override setLocalDescription(description?: RTCLocalSessionDescriptionInit) {
      if (description?.type === 'rollback') rollbacks.count += 1
      return super.setLocalDescription(description)
    }
  }
  return {
    platform: { RTCPeerConnection: CountedPeerConnection as typeof RTCPeerConnection },
    made,
    rollbacks,
    offers,
    open: () => made.filter((pc) => pc.connectionState !== 'closed').length,
    /** The connections not closed: the one negotiating, once spares are taken or dropped. */
    live: () => made.filter((pc) => pc.signalingState !== 'closed'),
  }
}

/** A real signaling server on an ephemeral loopback port. */
export async function startServer(
  options: Omit<SignalingServerOptions, 'port' | 'host' | 'httpServer'> = {},
): Promise<{ server: SignalingServer; url: string }> {
  const server = createSignalingServer({ ...options, port: 0, host: '127.0.0.1' })
  await server.ready
  const address = server.address()
  if (!address) throw new Error('server has no address')
  return { server, url: `http://127.0.0.1:${address.port}` }
}

/** A data-only call on the Node WebRTC stack. */
export function nodeCall(url: string, options: Partial<CallOptions> = {}): CallActor {
  const call = createCall({ signaling: url, media: false, platform: nodePlatform, ...options })
  call.start()
  return call
}

/**
 * Waits until the call's top-level state is `status`; `ready` means in the room, waiting (the
 * join answered), so a peer joining next finds it there.
 */
export function reach(call: CallActor, status: CallStatus, timeout = 10_000) {
  const reached = (api: ReturnType<typeof connectCall>) =>
    api.status === status && (status !== 'ready' || api.isInRoom)
  return waitFor(call, (snapshot) => reached(connectCall(snapshot, call.send)), {
    timeout,
  })
}

/** Polls a condition outside any actor's snapshot (a peer connection's state, a counter). */
export async function until(condition: () => boolean, timeout = 5000, what = 'condition') {
  const deadline = Date.now() + timeout
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
