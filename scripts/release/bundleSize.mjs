// The production client JavaScript of a built template app, gzipped: what a visitor's browser
// downloads for the room page (every chunk counted, lazy ones included).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** Where each template's build puts its client assets, relative to the app. */
export const CLIENT_DIRS = {
  vue: 'dist/assets',
  svelte: 'dist/assets',
  nuxt: '.output/public/_nuxt',
  sveltekit: 'build/client/_app',
}

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return jsFiles(path)
    return /\.m?js$/.test(entry.name) ? [path] : []
  })
}

/** { files, raw, gzip } in bytes for the client JavaScript under `dir`. */
export function clientJs(dir) {
  const files = jsFiles(dir)
  let raw = 0
  let gzip = 0
  for (const file of files) {
    const text = readFileSync(file)
    raw += text.length
    gzip += gzipSync(text, { level: 9 }).length
  }
  return { files: files.length, raw, gzip }
}
