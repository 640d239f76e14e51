import type { AudioActivity } from './speaking'

// The meter's registry and report types, apart from the meter itself: the call holds these from
// the start, while the meter's code is loaded once the call is in a room.

/** The connections whose audio the meter reads, by peer id; each connection adds itself. */
export interface AudioSources {
  /** Adds a peer's connection; returns its removal. */
  add(peerId: string, pc: RTCPeerConnection): () => void
  /** The connections now, by peer id. */
  readonly connections: ReadonlyMap<string, RTCPeerConnection>
}

/** A registry of the call's connections for the audio meter. */
export function createAudioSources(): AudioSources {
  const connections = new Map<string, RTCPeerConnection>()
  return {
    add(peerId, pc) {
      connections.set(peerId, pc)
      return () => {
        if (connections.get(peerId) === pc) connections.delete(peerId)
      }
    },
    connections,
  }
}

/** The key of the local microphone among the meter's sources. */
export const LOCAL_SOURCE = '\u0000local'

/** What the meter reports, only when something a UI shows changed. */
export interface AudioLevelsReport {
  type: 'AUDIO.LEVELS'
  /** The local microphone, as it is sent. */
  local: AudioActivity
  /** Each remote peer's audio, as it is received. */
  peers: Record<string, AudioActivity>
  /** Who speaks: a peer id, {@link LOCAL_SOURCE}, or null. */
  activeSpeaker: string | null
}

/** Input of the audio meter. */
export interface AudioMeterInput {
  sources: AudioSources
  /** Sampling period (ms); also the shortest time between two reports. */
  intervalMs: number
}
