import type { Mermaid } from 'mermaid'
import { withBase } from 'vitepress'

/** Set by the site config: the URL of mermaid's prebuilt bundle (see mermaidAsset.ts). */
declare const __MERMAID_PATH__: string

// mermaid is several megabytes: loaded on the first page that draws a diagram, never before.
let loading: Promise<Mermaid> | undefined
let theme: 'dark' | 'default' | undefined
let renders = 0

function loadMermaid(): Promise<Mermaid> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = withBase(__MERMAID_PATH__)
    script.onload = () => resolve((window as unknown as { mermaid: Mermaid }).mermaid)
    script.onerror = () => reject(new Error(`could not load ${script.src}`))
    document.head.append(script)
  })
}

/** A rendered diagram: the SVG (fitted to its container) and its own width in CSS pixels. */
export interface RenderedDiagram {
  svg: string
  width: number
}

/** Renders Mermaid source to an SVG, in the site's light or dark theme. */
export async function renderMermaid(source: string, dark: boolean): Promise<RenderedDiagram> {
  loading ??= loadMermaid().catch((error: unknown) => {
    loading = undefined // let the next diagram try again
    throw error
  })
  const mermaid = await loading
  const wanted = dark ? 'dark' : 'default'
  if (theme !== wanted) {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: wanted,
    })
    theme = wanted
  }
  renders += 1
  const { svg } = await mermaid.render(`mermaid-diagram-${renders}`, source)
  // mermaid caps a fitted diagram at its own width with an inline max-width.
  const width = Number(/max-width:\s*([\d.]+)px/.exec(svg)?.[1] ?? 0)
  return { svg, width }
}
