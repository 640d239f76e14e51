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

/** Renders Mermaid source to an SVG string, in the site's light or dark theme. */
export async function renderMermaid(source: string, dark: boolean): Promise<string> {
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
      // At its own size, scrolling sideways if need be: shrunk to the column, labels get unreadable.
      state: { useMaxWidth: false },
      flowchart: { useMaxWidth: false },
    })
    theme = wanted
  }
  renders += 1
  const { svg } = await mermaid.render(`mermaid-diagram-${renders}`, source)
  return svg
}
