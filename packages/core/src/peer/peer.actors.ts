import { fromCallback } from 'xstate'
import { sampleStatsLater } from '../stats/sampleStatsLater'
import { applyCodecPreferences } from './codecPreferences'
import { createChannelPair, openChannels } from './peer.channels'
import type { ConnectionReport, PeerCommand, PeerInput } from './peer.types'
import { perfectNegotiation } from './perfectNegotiation'
import { addLocalMedia, syncLocalMedia } from './spareConnection'
import { applyVideoQuality } from './videoQuality'

/**
 * Owns one RTCPeerConnection (and its data channels) for the lifetime of the actor: created on
 * start, closed on stop, so no connection outlives its negotiation. Takes the negotiation's
 * commands under the call's names, and reports what the call needs under the call's names too.
 */
export const peerConnection = fromCallback<PeerCommand, PeerInput, ConnectionReport>(
  ({ input, sendBack, receive }) => {
    const { peerId } = input
    const spare =
      input.spares?.take({
        offers: input.initiator,
        iceServers: input.iceServers,
        offerDelivered: input.offerDelivered,
      }) ?? null
    const pc =
      spare?.pc ??
      new input.RTCPeerConnection({
        iceServers: input.iceServers,
        iceTransportPolicy: input.iceTransportPolicy,
      })
    const report = (event: ConnectionReport) => {
      if (pc.signalingState !== 'closed') sendBack(event)
    }
    const fail = (message: string) => report({ type: 'PEER.ERROR', peerId, message })
    const applyRemote = perfectNegotiation(
      pc,
      {
        ...input,
        prepared: spare,
        delivered: input.offerDelivered ? spare?.sentOffer : undefined,
      },
      {
        signal: (signal) => report({ type: 'PEER.SIGNAL', peerId, signal }),
        offering: () => report({ type: 'PC.OFFERING' }),
        answering: () => report({ type: 'PC.ANSWERING' }),
        error: fail,
      },
    )

    // Two sources of limits for the video we send: the group call's bitrate cap (by the number
    // of peers) and what the user chose, which wins. Re-applied once connected, as a sender may
    // have no encodings to limit before its first negotiation.
    let videoQuality = input.videoQuality
    let videoCap: number | null = null
    let limited = false
    const limitVideo = () => {
      const quality = { ...(videoCap !== null ? { maxBitrate: videoCap } : {}), ...videoQuality }
      // Nothing chosen and nothing applied before: the browser's own encoding stays untouched.
      if (!limited && Object.keys(quality).length === 0) return
      limited = true
      applyVideoQuality(pc, quality).catch((error: unknown) =>
        fail(`setting the video quality failed: ${String(error)}`),
      )
    }
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') limitVideo()
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
    applyCodecPreferences(pc, input.preferredCodecs)

    const stopStats = sampleStatsLater(pc, input.statsIntervalMs, ({ stats, quality }) =>
      report({ type: 'PEER.STATS', peerId, stats, quality }),
    )
    const stopMetering = input.audioSources?.add(peerId, pc)

    receive((command) => {
      switch (command.type) {
        case 'SIGNAL.RECEIVED':
          return applyRemote(command.signal)
        case 'CALL.RESTART_ICE':
          return pc.restartIce()
        case 'CALL.VIDEO_QUALITY':
          videoQuality = command.quality
          return limitVideo()
        case 'ICE.REFRESHED':
          return pc.setConfiguration({ ...pc.getConfiguration(), iceServers: command.iceServers })
        case 'VIDEO.CAP':
          videoCap = command.maxBitrate
          return limitVideo()
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
      stopMetering?.()
      pc.onnegotiationneeded = null
      pc.onicecandidate = null
      pc.onconnectionstatechange = null
      pc.ontrack = null
      channels?.close()
      pc.close()
    }
  },
)
