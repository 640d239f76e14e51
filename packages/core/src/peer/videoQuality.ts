import type { VideoQuality } from '../shared/shared.types'

/**
 * The user's video quality choices: one for every peer, and overrides per peer. Kept apart from
 * any default a call may pick for itself (e.g. by the number of peers), which the user's wins over.
 */
export interface VideoQualitySettings {
  /** Set by `setVideoQuality(quality)`: every peer, present and to come. */
  all: VideoQuality | null
  /** Set by `setVideoQuality(quality, peerId)`. */
  byPeer: Record<string, VideoQuality>
}

/** No choice made: the browser's own encoding. */
export const NO_VIDEO_QUALITY: VideoQualitySettings = { all: null, byPeer: {} }

/** The settings after a `CALL.VIDEO_QUALITY`: for all peers it replaces every override. */
export function chooseVideoQuality(
  settings: VideoQualitySettings,
  quality: VideoQuality,
  to?: string,
): VideoQualitySettings {
  if (to === undefined) return { all: quality, byPeer: {} }
  return { all: settings.all, byPeer: { ...settings.byPeer, [to]: quality } }
}

/** What the user chose for one peer, or null for the browser's own encoding. */
export function videoQualityFor(
  settings: VideoQualitySettings,
  peerId: string,
): VideoQuality | null {
  return settings.byPeer[peerId] ?? settings.all
}

const LIMITS = ['maxBitrate', 'maxFramerate', 'scaleResolutionDownBy'] as const

/**
 * Applies the user's video quality to a connection's video sender with
 * `RTCRtpSender.setParameters`: no renegotiation, takes effect within a second. A limit left out
 * is lifted. Before negotiation a sender may have no encodings to limit yet; the caller applies
 * the quality again once the connection is up.
 */
export async function applyVideoQuality(
  pc: RTCPeerConnection,
  quality: VideoQuality,
): Promise<void> {
  const sender = pc
    .getTransceivers()
    .find((transceiver) => transceiver.receiver.track.kind === 'video')?.sender
  if (!sender || typeof sender.setParameters !== 'function') return
  const parameters = sender.getParameters()
  if (!parameters.encodings || parameters.encodings.length === 0) return
  for (const encoding of parameters.encodings) {
    for (const limit of LIMITS) {
      const value = quality[limit]
      if (value === undefined) delete encoding[limit]
      else encoding[limit] = value
    }
  }
  await sender.setParameters(parameters)
}
