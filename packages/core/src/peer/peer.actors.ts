import { fromCallback } from 'xstate'
import type { DataMessage } from '../call/call.types'
import type { ConnectionCommand, ConnectionReport, PeerInput } from './peer.types'
import { perfectNegotiation } from './perfectNegotiation'

// Messages sent before the channel opens wait for it, up to this many.
const MAX_QUEUED_MESSAGES = 1024

/**
 * Owns one RTCPeerConnection (and its data channel) for the lifetime of the actor: created on
 * start, closed on stop, so no connection outlives its negotiation.
 */
export const peerConnection = fromCallback<ConnectionCommand, PeerInput, ConnectionReport>(
  ({ input, sendBack, receive }) => {
    const pc = new input.RTCPeerConnection({ iceServers: input.iceServers })
    const report = (event: ConnectionReport) => {
      if (pc.signalingState !== 'closed') sendBack(event)
    }
    const applyRemote = perfectNegotiation(pc, input, {
      signal: (signal) => report({ type: 'PC.SIGNAL', signal }),
      offering: () => report({ type: 'PC.OFFERING' }),
      answering: () => report({ type: 'PC.ANSWERING' }),
      error: (message) => report({ type: 'PC.ERROR', message }),
    })

    pc.onconnectionstatechange = () => report({ type: 'PC.STATE', state: pc.connectionState })
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? new MediaStream([track])
      report({ type: 'PC.TRACK', stream })
    }

    const channel = input.dataChannel
      ? pc.createDataChannel('duet', { negotiated: true, id: 0, ordered: true })
      : null
    const outbox: DataMessage[] = []
    const transmit = (data: DataMessage) => {
      // The overloads of send() take each type separately.
      if (typeof data === 'string') channel?.send(data)
      else channel?.send(data)
    }
    if (channel) {
      channel.binaryType = 'arraybuffer'
      channel.onopen = () => {
        for (const data of outbox.splice(0)) transmit(data)
      }
      channel.onmessage = ({ data }: MessageEvent<DataMessage>) =>
        report({ type: 'PC.MESSAGE', data })
    }

    for (const track of input.localStream?.getTracks() ?? []) {
      pc.addTrack(track, input.localStream as MediaStream)
    }

    receive((command) => {
      if (command.type === 'PC.REMOTE_SIGNAL') return applyRemote(command.signal)
      if (!channel) return report({ type: 'PC.ERROR', message: 'data channel is disabled' })
      if (channel.readyState === 'open') return transmit(command.data)
      if (outbox.length >= MAX_QUEUED_MESSAGES) {
        return report({ type: 'PC.ERROR', message: 'data channel not open; message dropped' })
      }
      outbox.push(command.data)
    })

    return () => {
      pc.onnegotiationneeded = null
      pc.onicecandidate = null
      pc.onconnectionstatechange = null
      pc.ontrack = null
      if (channel) {
        channel.onopen = null
        channel.onmessage = null
        channel.close()
      }
      pc.close()
    }
  },
)
