import type { MachineName } from './diagramSource'
import { type RenderedDiagram, renderDiagram } from './renderDiagram'
import type { MachineTimeline } from './timeline.types'

/** Where to draw each machine: empty elements the UI framework leaves alone. */
export interface DiagramTargets {
  call: HTMLElement
  peer: HTMLElement
}

async function draw(target: HTMLElement, machine: MachineName): Promise<RenderedDiagram | null> {
  target.dataset.state = 'loading'
  target.textContent = 'Drawing the diagram…'
  try {
    return await renderDiagram(target, machine)
  } catch (error) {
    target.dataset.state = 'error'
    const reason = error instanceof Error ? error.message : String(error)
    target.textContent = `Could not draw the diagram: ${reason}`
    return null
  }
}

/**
 * Draws the call and peer machines and keeps their active states highlighted as the timeline
 * moves. Every peer negotiation runs the same machine, so the peer diagram marks the states of
 * all of them (one in a two-person room). Returns the cleanup.
 */
export function mountDiagrams(targets: DiagramTargets, timeline: MachineTimeline): () => void {
  let call: RenderedDiagram | null = null
  let peer: RenderedDiagram | null = null
  const highlight = () => {
    const { activeStates } = timeline.getSnapshot()
    call?.highlight(activeStates.call?.paths ?? [])
    peer?.highlight(activeStates.peers.flatMap((p) => p.paths))
  }
  const unsubscribe = timeline.subscribe(highlight)
  let disposed = false
  void (async () => {
    // The call first: it is the diagram people look at, and Mermaid renders one at a time anyway.
    const drawnCall = await draw(targets.call, 'call')
    const drawnPeer = await draw(targets.peer, 'peer')
    if (disposed) return
    call = drawnCall
    peer = drawnPeer
    highlight()
    // Only now: "ready" promises the active states are already marked (tests wait for it).
    for (const [target, drawn] of [
      [targets.call, drawnCall],
      [targets.peer, drawnPeer],
    ] as const) {
      if (drawn) target.dataset.state = 'ready'
    }
  })()
  return () => {
    disposed = true
    unsubscribe()
  }
}
