export { createMachineTimeline } from './createMachineTimeline'
export type { Progress } from './describeProgress'
export { describeProgress, STUCK_AFTER_MS, sourceName } from './describeProgress'
export { followTail } from './followTail'
export type { DiagramTargets } from './mountDiagrams'
export { mountDiagramsLater } from './mountDiagramsLater'
export type { PanelRow, PanelView } from './panelView'
export { toPanelView } from './panelView'
export type {
  ActivePeer,
  ActiveState,
  ActiveStates,
  InspectionEvent,
  MachineSource,
  MachineTimeline,
  TimelineEntry,
  TimelineOptions,
  TimelineSnapshot,
} from './timeline.types'
