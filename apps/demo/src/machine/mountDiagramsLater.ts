import type { DiagramTargets } from './mountDiagrams'
import type { MachineTimeline } from './timeline.types'

/**
 * {@link import('./mountDiagrams').mountDiagrams}, with the diagram code (the machines' Mermaid
 * source, the drawing) fetched when the panel first opens rather than with the room page: a
 * person opening an invite link waits for the call, not for a diagram it may never look at.
 * Returns the cleanup, good before the code has loaded.
 */
export function mountDiagramsLater(targets: DiagramTargets, timeline: MachineTimeline): () => void {
  let cleanup: (() => void) | null = null
  let disposed = false
  import('./mountDiagrams').then(
    ({ mountDiagrams }) => {
      if (!disposed) cleanup = mountDiagrams(targets, timeline)
    },
    (error: unknown) => {
      if (disposed) return
      for (const target of [targets.call, targets.peer]) {
        target.dataset.state = 'error'
        target.textContent = `Could not load the diagram: ${error instanceof Error ? error.message : String(error)}`
      }
    },
  )
  return () => {
    disposed = true
    cleanup?.()
  }
}
