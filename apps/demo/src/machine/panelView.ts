import { describeProgress, type Progress, sourceName } from './describeProgress'
import { formatElapsed } from './format'
import type { TimelineSnapshot } from './timeline.types'

/** One timeline row, ready to print. */
export interface PanelRow {
  id: number
  time: string
  who: string
  label: string
  /** The state the event led to. */
  state: string
  /** Whether it moved the machine; rows that did are the transitions. */
  changed: boolean
}

/** Everything the Machine panel prints, so the Vue and Svelte panels only lay it out. */
export interface PanelView {
  /** The call's active state path(s), `—` before it started. */
  call: string
  peers: { peerId: string; name: string; state: string }[]
  rows: PanelRow[]
  progress: Progress
}

/** Turns a timeline snapshot into the panel's text. */
export function toPanelView(snapshot: TimelineSnapshot, elapsed: number): PanelView {
  const { call, peers } = snapshot.activeStates
  return {
    call: call?.state ?? '—',
    peers: peers.map(({ peerId, state }) => ({
      peerId,
      name: sourceName({ machine: 'peer', peerId }),
      state,
    })),
    rows: snapshot.entries.map((entry) => ({
      id: entry.id,
      time: formatElapsed(entry.at),
      who: sourceName(entry.source),
      label: entry.label,
      state: entry.state,
      changed: entry.changed,
    })),
    progress: describeProgress(snapshot, elapsed),
  }
}
