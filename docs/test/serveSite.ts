import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import sirv from 'sirv'

/** Where `vitepress build` writes the site. */
export const SITE_DIR = new URL('../.vitepress/dist', import.meta.url).pathname

/** A static server for the built site on 127.0.0.1, on a free port. */
export interface SiteServer {
  /** Base URL, without a trailing slash. */
  url: string
  close(): Promise<void>
}

/** Serves the built site as a host would: clean URLs (`/guide/rooms` → `guide/rooms.html`). */
export async function serveSite(): Promise<SiteServer> {
  if (!existsSync(join(SITE_DIR, 'index.html'))) {
    throw new Error(`No built site in ${SITE_DIR}: run \`pnpm docs:build\` first.`)
  }
  const serve = sirv(SITE_DIR, { extensions: ['html'], dev: false })
  const server = createServer((request, response) =>
    serve(request, response, () => {
      response.writeHead(404).end('Not found')
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
