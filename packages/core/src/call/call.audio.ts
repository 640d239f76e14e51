import { type AudioLevelsReport, LOCAL_SOURCE } from '../stats/audioSources'
import type { AudioActivity } from '../stats/speaking'
import type { PeerView } from './call.types'

const same = (a: AudioActivity, b: AudioActivity) =>
  a.level === b.level && a.speaking === b.speaking

/**
 * The call's audio fields after a meter report. Peers whose audio did not change keep their
 * object, so a binding that renders per peer re-renders only the ones that changed.
 */
export function applyAudioLevels(
  context: { peers: PeerView[]; peerId: string | null; localAudio: AudioActivity },
  report: AudioLevelsReport,
): { peers: PeerView[]; localAudio: AudioActivity; activeSpeaker: string | null } {
  const peers = context.peers.map((peer) => {
    const audio = report.peers[peer.peerId]
    return audio && !same(audio, peer.audio) ? { ...peer, audio } : peer
  })
  return {
    peers: peers.some((peer, index) => peer !== context.peers[index]) ? peers : context.peers,
    localAudio: same(report.local, context.localAudio) ? context.localAudio : report.local,
    activeSpeaker: report.activeSpeaker === LOCAL_SOURCE ? context.peerId : report.activeSpeaker,
  }
}
