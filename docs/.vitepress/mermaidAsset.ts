import { copyFileSync, createReadStream, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Plugin } from 'vite'

const require = createRequire(import.meta.url)
const packageFile = require.resolve('mermaid/package.json')
const { version } = JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string }
const bundle = join(packageFile, '..', 'dist', 'mermaid.min.js')

/**
 * Where the site serves mermaid's own prebuilt bundle (versioned, so caches never mix two).
 * Bundling mermaid with the site made Rollup parse megabytes of it on every build; the
 * prebuilt file costs a copy.
 */
export const MERMAID_PATH = `/mermaid-${version}.min.js`

/** Serves the bundle during `vitepress dev`. */
export function mermaidAsset(): Plugin {
  return {
    name: 'duet-docs:mermaid-asset',
    configureServer(server) {
      server.middlewares.use(MERMAID_PATH, (_request, response) => {
        response.setHeader('Content-Type', 'text/javascript')
        createReadStream(bundle).pipe(response)
      })
    },
  }
}

/** Copies the bundle into the built site (VitePress's `buildEnd`). */
export function copyMermaidAsset(outDir: string): void {
  copyFileSync(bundle, join(outDir, MERMAID_PATH))
}
