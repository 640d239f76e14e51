import { fromCallback } from 'xstate'
import { createChannelPair, openChannels } from './peer.channels'
import { type PeerStats, summarizeStats } from './peer.stats'
import type { ConnectionReport, PeerCommand, PeerInput } from './peer.types'
import { perfectNegotiation } from './perfectNegotiation'
import { addLocalMedia, syncLocalMedia } from './spareConnection'
import { applyVideoBitrateCap } from './videoBitrateCap'

function sampleStatsEvery(
  pc: RTCPeerConnection,
  intervalMs: number,
  peerId: string,
  report: (event: ConnectionReport) => void,
): () => void {
  if (intervalMs <= 0) return () => {}
  let previous: PeerStats | null = null
  const timer = setInterval(async () => {
    try {
      previous = summarizeStats(await pc.getStats(), previous)
      report({ type: 'PEER.STATS', peerId, stats: previous })
    } catch {
      // getStats rejects once the connection closed; the actor is stopping then anyway.
    }
  }, intervalMs)
  return () => clearInterval(timer)
}

/**
 * Owns one RTCPeerConnection (and its data channels) for the lifetime of the actor: created on
 * start, closed on stop, so no connection outlives its negotiation. Takes the negotiation's
 * commands under the call's names, and reports what the call needs under the call's names too.
 */
export const peerConnection = fromCallback<PeerCommand, PeerInput, ConnectionReport>(
  ({ input, sendBack, receive }) => {
    const { peerId } = input
    const spare =
      input.spares?.take({ offers: input.initiator, iceServers: input.iceServers }) ?? null
    const pc = spare?.pc ?? new input.RTCPeerConnection({ iceServers: input.iceServers })
    const report = (event: ConnectionReport) => {
      if (pc.signalingState !== 'closed') sendBack(event)
    }
    const fail = (message: string) => report({ type: 'PEER.ERROR', peerId, message })
    const applyRemote = perfectNegotiation(
      pc,
      { ...input, prepared: spare },
      {
        signal: (signal) => report({ type: 'PEER.SIGNAL', peerId, signal }),
        offering: () => report({ type: 'PC.OFFERING' }),
        answering: () => report({ type: 'PC.ANSWERING' }),
        error: fail,
      },
    )

    // The group-call cap; applied again once connected, for stacks that list no encodings before.
    let videoCap: number | null = null
    const capVideo = () =>
      void applyVideoBitrateCap(pc, videoCap).catch((error: unknown) =>
        fail(`video bitrate cap failed: ${String(error)}`),
      )
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' && videoCap !== null) capVideo()
      report({ type: 'PC.STATE', state: pc.connectionState })
    }
    // One stream per peer, rebuilt on every new track so bindings see a new object to render.
    // The tracks of one description arrive in a burst of events (each followed by its own
    // microtasks): they make one stream, not one each, so a <video> is not handed a new source
    // (and restarted) in the middle of a set-up.
    let remote: MediaStream | null = null
    let arriving: MediaStreamTrack[] = []
    pc.ontrack = ({ track, streams }) => {
      const Stream = input.MediaStream
      if (!Stream) {
        remote = streams[0] ?? null
        if (remote) report({ type: 'PEER.STREAM', peerId, stream: remote })
        return
      }
      arriving.push(track)
      if (arriving.length > 1) return
      setTimeout(() => {
        remote = new Stream([...(remote?.getTracks() ?? []), ...arriving])
        arriving = []
        report({ type: 'PEER.STREAM', peerId, stream: remote })
      })
    }

    const channels = input.dataChannel
      ? openChannels(spare?.channels ?? createChannelPair(pc), {
          message: (data) => report({ type: 'PEER.MESSAGE', peerId, data }),
          file: (fileReport) => report({ type: 'PEER.FILE', peerId, report: fileReport }),
          error: fail,
        })
      : null

    if (spare) syncLocalMedia(pc, input.localStream)
    else addLocalMedia(pc, input.localStream, input.mediaKinds)

    const stopStats = sampleStatsEvery(pc, input.statsIntervalMs, peerId, report)

    receive((command) => {
      switch (command.type) {
        case 'SIGNAL.RECEIVED':
          return applyRemote(command.signal)
        case 'CALL.RESTART_ICE':
          return pc.restartIce()
        case 'ICE.REFRESHED':
          return pc.setConfiguration({ ...pc.getConfiguration(), iceServers: command.iceServers })
        case 'VIDEO.CAP':
          videoCap = command.maxBitrate
          return capVideo()
        case 'MEDIA.TRACK': {
          // Swapping the track on the existing sender keeps the negotiated session: no new offer.
          // The receiver's track kind names the m-line even while the sender has no track.
          const sender = pc
            .getTransceivers()
            .find((transceiver) => transceiver.receiver.track.kind === command.kind)?.sender
          void sender
            ?.replaceTrack(command.track)
            .catch((error: unknown) => fail(`replaceTrack failed: ${String(error)}`))
          return
        }
      }
      if (!channels) return fail('data channels are disabled')
      if (command.type === 'CALL.SEND') return channels.send(command.data)
      if (command.type === 'CALL.SEND_FILE') {
        return channels.sendFile(command.transferId, command.file, command.name)
      }
      channels.cancelFile(command.transferId)
    })

    return () => {
      stopStats()
      pc.onnegotiationneeded = null
      pc.onicecandidate = null
      pc.onconnectionstatechange = null
      pc.ontrack = null
      channels?.close()
      pc.close()
    }
  },
)
