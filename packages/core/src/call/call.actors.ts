import { fromCallback } from 'xstate'
import type { Signal } from '../protocol'
import type { SignalingTransport } from '../signaling/signaling.types'
import { toSignalingError } from './call.errors'
import type { CallEvent } from './call.types'

/** Input of {@link signalingSession}. */
export interface SignalingSessionInput {
  createTransport: () => SignalingTransport
  roomId: string
}

/** Commands the call gives its signaling session. */
export type SignalingCommand = { type: 'SIGNALING.SEND'; to: string; signal: Signal }

/**
 * Owns the signaling transport for one room stay: joins on start, relays notices to the call,
 * and closes the transport (leaving the room) when the actor stops.
 */
export const signalingSession = fromCallback<SignalingCommand, SignalingSessionInput, CallEvent>(
  ({ input, sendBack, receive }) => {
    let closed = false
    const report = (event: CallEvent) => {
      if (!closed) sendBack(event)
    }
    const transport = input.createTransport()
    const unsubscribe = transport.subscribe((notice) => {
      switch (notice.type) {
        case 'peer-joined':
          return report({ type: 'PEER.JOINED', peerId: notice.peerId })
        case 'peer-left':
          return report({ type: 'PEER.LEFT', peerId: notice.peerId })
        case 'signal':
          return report({ type: 'SIGNAL.RECEIVED', from: notice.from, signal: notice.signal })
        case 'disconnected':
          return report({ type: 'SIGNALING.LOST', reason: notice.reason })
        case 'reconnected':
          return report({ type: 'SIGNALING.RESTORED' })
      }
    })
    transport.join(input.roomId).then(
      (result) => report({ type: 'ROOM.JOINED', result }),
      (error: unknown) => report({ type: 'ROOM.FAILED', error: toSignalingError(error) }),
    )
    receive((command) => {
      transport
        .send(command.to, command.signal)
        .catch((error: unknown) =>
          report({ type: 'SIGNALING.ERROR', error: toSignalingError(error) }),
        )
    })
    return () => {
      closed = true
      unsubscribe()
      transport.close()
    }
  },
)
