import type { Plugin, Rollup } from 'vite'

type OutputBundle = Rollup.OutputBundle
type OutputChunk = Rollup.OutputChunk

/** The entry of each UI chunk, as `src/main.ts` imports it by `?ui=`. */
const UI_ENTRIES = { vue: '/src/vue/mount.ts', svelte: '/src/svelte/mount.ts' } as const

function chunkOf(bundle: OutputBundle, entry: string): OutputChunk | undefined {
  for (const output of Object.values(bundle)) {
    if (output.type === 'chunk' && output.facadeModuleId?.endsWith(entry)) return output
  }
  return undefined
}

// The chunk, its static imports (recursively) and their CSS: what its dynamic import fetches.
function filesOf(bundle: OutputBundle, root: OutputChunk): string[] {
  const files = new Set<string>()
  const visit = (chunk: OutputChunk) => {
    if (files.has(chunk.fileName)) return
    files.add(chunk.fileName)
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css)
    for (const name of chunk.imports) {
      const imported = bundle[name]
      if (imported?.type === 'chunk') visit(imported)
    }
  }
  visit(root)
  return [...files]
}

/**
 * The room page's UI is a dynamic import picked by `?ui=` in `src/main.ts`: the browser learned
 * of its chunks only once the entry had loaded and run, a round trip after the HTML. A small
 * inline script in the HTML asks for the chosen UI's chunks at once, alongside the entry (about
 * 100 ms sooner to a clickable Join on the bench machine).
 */
export function preloadUi(): Plugin {
  let base = '/'
  return {
    name: 'duet:preload-ui',
    apply: 'build',
    configResolved(config) {
      base = config.base
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const { bundle } = context
        if (!bundle) return html
        const files: Record<string, string[]> = {}
        for (const [ui, entry] of Object.entries(UI_ENTRIES)) {
          const chunk = chunkOf(bundle, entry)
          if (!chunk) throw new Error(`preloadUi: no chunk for ${entry}`)
          files[ui] = filesOf(bundle, chunk).map((file) => `${base}${file}`)
        }
        // Mirrors `currentUi()` (src/ui.ts): Vue unless `?ui=` names another UI.
        const script = `(() => {
  const files = ${JSON.stringify(files)}
  const ui = new URLSearchParams(location.search).get('ui')
  for (const href of files[Object.hasOwn(files, ui) ? ui : 'vue']) {
    const link = document.createElement('link')
    link.rel = href.endsWith('.css') ? 'stylesheet' : 'modulepreload'
    link.crossOrigin = ''
    link.href = href
    document.head.append(link)
  }
})()`
        return [{ tag: 'script', children: script, injectTo: 'head-prepend' }]
      },
    },
  }
}
