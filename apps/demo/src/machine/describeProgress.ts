import { formatDuration, formatElapsed } from './format'
import type { MachineSource, TimelineEntry, TimelineSnapshot } from './timeline.types'

/**
 * States a machine only passes through: lingering in one means something is not happening
 * (no answer, no media, no connectivity). Idle, preview, waiting and connected are places to stay.
 */
const PASSING = {
  call: new Set([
    'media.acquiring',
    'room.joining',
    'room.offering',
    'room.answering',
    'room.reconnecting.restartingIce',
    'room.reconnecting.awaitingSignaling',
    'room.reconnecting.rejoining.awaitingSignaling',
    'room.reconnecting.rejoining.joining',
  ]),
  peer: new Set([
    'negotiating.new',
    'negotiating.offering',
    'negotiating.answering',
    'reconnecting.restarting',
    'connected.interrupted',
  ]),
}

/** How long a passing state may last before the panel asks whether the call is stuck. */
export const STUCK_AFTER_MS = 5000

/** Where the call is heading, in one sentence, and whether it looks stuck. */
export interface Progress {
  text: string
  stuck: boolean
}

/** `call` or `peer 1a2b3c4d`: who an entry or state belongs to. */
export function sourceName(source: MachineSource): string {
  return source.machine === 'call' ? 'call' : `peer ${source.peerId.slice(0, 8)}`
}

const sameSource = (a: MachineSource, b: MachineSource) =>
  a.machine === 'call' ? b.machine === 'call' : b.machine === 'peer' && a.peerId === b.peerId

// When the machine entered its current state; the oldest kept entry if that fell off the end.
function enteredAt(entries: readonly TimelineEntry[], source: MachineSource): number {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!
    if (entry.changed && sameSource(entry.source, source)) return entry.at
  }
  return entries[0]?.at ?? 0
}

/**
 * Summarises a timeline for someone debugging a call: the last event and how long ago it was,
 * and, when the call or a peer has sat in a passing state for over {@link STUCK_AFTER_MS},
 * which one is stuck where.
 * @param elapsed milliseconds since the call started, now (`timeline.elapsed()`)
 */
export function describeProgress(snapshot: TimelineSnapshot, elapsed: number): Progress {
  const { entries, activeStates } = snapshot
  const last = entries.at(-1)
  if (!last) return { text: 'Nothing yet: the call has not started.', stuck: false }
  const lastText =
    `Last event ${formatElapsed(last.at)}: ${last.label} (${sourceName(last.source)}) → ` +
    `${last.state}, ${formatDuration(elapsed - last.at)} ago.`
  const machines: { source: MachineSource; state: string }[] = [
    ...(activeStates.call
      ? [{ source: { machine: 'call' } as const, state: activeStates.call.state }]
      : []),
    ...activeStates.peers.map((peer) => ({
      source: { machine: 'peer', peerId: peer.peerId } as const,
      state: peer.state,
    })),
  ]
  const stuck = machines
    .filter(({ source, state }) => PASSING[source.machine].has(state))
    .map(({ source, state }) => ({ source, state, for: elapsed - enteredAt(entries, source) }))
    .filter((machine) => machine.for > STUCK_AFTER_MS)
  if (stuck.length === 0) return { text: lastText, stuck: false }
  const where = stuck
    .map(
      ({ source, state, for: ms }) => `${sourceName(source)} in ${state} for ${formatDuration(ms)}`,
    )
    .join('; ')
  return { text: `Stuck? ${where}. ${lastText}`, stuck: true }
}
