import { type AudioLevelsReport, type AudioMeterInput, LOCAL_SOURCE } from './audioSources'
import {
  type AudioActivity,
  activeSpeakerOf,
  levelBetween,
  nextSpeaking,
  SILENT,
  SILENT_ACTIVITY,
  type SpeakingState,
} from './speaking'

type Energy = { energy: number; duration: number }

const SETTING_UP: ReadonlySet<RTCPeerConnectionState> = new Set(['new', 'connecting'])
type Stat = Record<string, unknown> & { type: string }

function energyIn(report: RTCStatsReport, type: 'inbound-rtp' | 'media-source'): Energy | null {
  let found: Energy | null = null
  report.forEach((stat: Stat) => {
    if (stat.type !== type || stat.kind !== 'audio') return
    const { totalAudioEnergy: energy, totalSamplesDuration: duration } = stat
    if (typeof energy === 'number' && typeof duration === 'number') found = { energy, duration }
  })
  return found
}

const audioTransceiver = (pc: RTCPeerConnection) =>
  pc.getTransceivers().find((transceiver) => transceiver.receiver.track.kind === 'audio')

// Stacks without energy counters still tell the last packet's level through the sources.
function lastPacketLevel(receiver: RTCRtpReceiver): number | null {
  const source = receiver.getSynchronizationSources?.()[0]
  return typeof source?.audioLevel === 'number' ? source.audioLevel : null
}

/**
 * Samples how loud every peer is (its receiver's `inbound-rtp` energy, or the synchronization
 * sources' level) and the local microphone (the `media-source` energy of the audio it sends),
 * with no audio graph of its own. One report per period at most, and only on a change a UI
 * shows: a binding re-renders for it at most 1000 / `intervalMs` times a second.
 */
export function meterAudio(
  input: AudioMeterInput,
  sendBack: (report: AudioLevelsReport) => void,
): () => void {
  {
    const energies = new Map<string, Energy>()
    const states = new Map<string, SpeakingState>()
    let activeSpeaker: string | null = null
    // Nothing is said until something is heard: the call starts out silent.
    let lastReport = JSON.stringify([SILENT_ACTIVITY, {}, null])
    let stopped = false

    const measure = (id: string, energy: Energy | null, fallback: number | null, now: number) => {
      const level = energy ? levelBetween(energies.get(id) ?? null, energy) : fallback
      if (energy) energies.set(id, energy)
      const state = nextSpeaking(states.get(id) ?? SILENT, level ?? 0, now)
      states.set(id, state)
    }

    async function readLocal(pc: RTCPeerConnection, now: number) {
      const sender = audioTransceiver(pc)?.sender
      if (!sender?.track?.enabled) return measure(LOCAL_SOURCE, null, 0, now)
      measure(LOCAL_SOURCE, energyIn(await sender.getStats(), 'media-source'), null, now)
    }

    async function readPeer(peerId: string, pc: RTCPeerConnection, now: number) {
      const receiver = audioTransceiver(pc)?.receiver
      if (!receiver) return
      const energy = energyIn(await receiver.getStats(), 'inbound-rtp')
      // Only asked for when there are no energy counters: it costs a call into the stack too.
      measure(peerId, energy, energy ? null : lastPacketLevel(receiver), now)
    }

    async function sample() {
      const now = Date.now()
      // A connection still being set up carries no audio yet: reading it then only takes time
      // from the set-up on the page's main thread.
      const open = [...input.sources.connections].filter(
        ([, pc]) => pc.signalingState !== 'closed' && !SETTING_UP.has(pc.connectionState),
      )
      const reads = open.map(([peerId, pc]) => readPeer(peerId, pc, now))
      // The microphone is the same on every connection: the first one tells its level.
      if (open[0]) reads.push(readLocal(open[0][1], now))
      await Promise.allSettled(reads)
      for (const id of states.keys()) {
        if (id !== LOCAL_SOURCE && !input.sources.connections.has(id)) {
          states.delete(id)
          energies.delete(id)
        }
      }
      activeSpeaker = activeSpeakerOf(states, activeSpeaker)
      const shown = (state: SpeakingState): AudioActivity => ({
        level: Math.round(state.level * 100) / 100,
        speaking: state.speaking,
      })
      const peers: Record<string, AudioActivity> = {}
      for (const [id, state] of states) if (id !== LOCAL_SOURCE) peers[id] = shown(state)
      const local = shown(states.get(LOCAL_SOURCE) ?? SILENT)
      const key = JSON.stringify([local, peers, activeSpeaker])
      if (key === lastReport || stopped) return
      lastReport = key
      sendBack({ type: 'AUDIO.LEVELS', local, peers, activeSpeaker })
    }

    let timer: ReturnType<typeof setTimeout> | undefined
    const loop = () => {
      timer = setTimeout(() => {
        // A read that fails (the connection closing under it) only skips this sample.
        void sample()
          .catch(() => {})
          .then(() => {
            if (!stopped) loop()
          })
      }, input.intervalMs)
    }
    if (input.intervalMs > 0) loop()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }
}
