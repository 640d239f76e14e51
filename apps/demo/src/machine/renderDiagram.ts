import type { Mermaid } from 'mermaid'
import { diagramSource, type MachineName } from './diagramSource'

/** A diagram in the page whose active states can be marked. */
export interface RenderedDiagram {
  /** Marks exactly these state paths as active (`room`, `room.waiting`); the root never is. */
  highlight: (paths: Iterable<string>) => void
}

/** Class and attribute of an active state's SVG node. */
export const ACTIVE_CLASS = 'machine-node--active'

let loading: Promise<Mermaid> | undefined

/**
 * Mermaid on first use only: a separate chunk of several MB that Vite bundles with the app
 * (no CDN, works offline) and the page fetches when a diagram is first drawn, not before.
 */
export function loadMermaid(): Promise<Mermaid> {
  loading ??= import('mermaid').then(
    ({ default: mermaid }) => {
      // The light theme in either page theme: the diagram sits on its own white card.
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' })
      return mermaid
    },
    (error: unknown) => {
      loading = undefined // a failed chunk load (server restarted mid-session) may work next time
      throw error
    },
  )
  return loading
}

let renders = 0

/** Draws one of the panel's machines into `target` (replacing its content). */
export async function renderDiagram(
  target: HTMLElement,
  name: MachineName,
): Promise<RenderedDiagram> {
  const { text, ids } = diagramSource(name)
  const mermaid = await loadMermaid()
  const renderId = `duet-machine-${++renders}`
  const { svg } = await mermaid.render(renderId, text)
  let lastActive: Element | undefined
  const box = document.createElement('div')
  box.className = 'machine-diagram-scroll'
  box.innerHTML = svg
  const zoom = zoomButton(target, name, () => lastActive && scrollIntoBox(box, lastActive))
  target.replaceChildren(box, zoom)
  // Mermaid sizes the SVG to its container, up to its natural width; full size needs that width.
  const natural = box.querySelector('svg')?.style.maxWidth
  if (natural) target.style.setProperty('--natural-width', natural)

  // Mermaid names a state's SVG group `<render id>-state-<diagram id>-<n>`, for plain states
  // (`g.node`) and composite ones (`g.statediagram-cluster`) alike.
  const pattern = new RegExp(`^${renderId}-state-(.+)-\\d+$`)
  const nodes = new Map<string, Element>()
  for (const node of target.querySelectorAll('g.statediagram-state[id]')) {
    const id = pattern.exec(node.id)?.[1]
    if (id !== undefined) nodes.set(id, node)
  }
  const rootId = ids.get('')
  return {
    highlight(paths) {
      const active: Element[] = []
      for (const path of paths) {
        const id = ids.get(path)
        const node = id === undefined || id === rootId ? undefined : nodes.get(id)
        if (node) active.push(node)
      }
      for (const node of nodes.values()) {
        const on = active.includes(node)
        node.classList.toggle(ACTIVE_CLASS, on)
        if (on) node.setAttribute('data-active', 'true')
        else node.removeAttribute('data-active')
      }
      // Paths list ancestors first: the last one is the innermost state, the one to look at.
      lastActive = active.at(-1)
      if (lastActive) scrollIntoBox(box, lastActive)
    },
  }
}

/**
 * Fitted, a whole machine shows at a glance but the call's labels get small; full size makes
 * them readable and scrolls the box instead.
 */
function zoomButton(target: HTMLElement, name: MachineName, zoomed: () => void): HTMLElement {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'machine-zoom'
  button.textContent = 'Full size'
  button.setAttribute('aria-label', `Full size ${name} diagram`)
  button.setAttribute('aria-pressed', 'false')
  button.addEventListener('click', () => {
    const on = target.dataset.zoom !== 'true'
    target.dataset.zoom = String(on)
    button.setAttribute('aria-pressed', String(on))
    zoomed()
  })
  return button
}

// The diagram box scrolls on its own; `scrollIntoView` would scroll the whole page as well.
function scrollIntoBox(box: HTMLElement, node: Element): void {
  const outer = box.getBoundingClientRect()
  const inner = node.getBoundingClientRect()
  if (outer.height === 0) return // hidden (panel closed): nothing to scroll
  if (inner.top < outer.top || inner.bottom > outer.bottom) {
    box.scrollTop += inner.top - outer.top - (outer.height - inner.height) / 2
  }
  if (inner.left < outer.left || inner.right > outer.right) {
    box.scrollLeft += inner.left - outer.left - (outer.width - inner.width) / 2
  }
}
