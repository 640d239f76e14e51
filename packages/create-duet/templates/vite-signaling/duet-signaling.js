// A Vite plugin that runs the Duet signaling server on the dev server's own port (and on
// `vite preview`'s), so `npm run dev` is the only command and the page's signaling URL is its
// own origin.
import { createSignalingServer } from '@duet/server'

/** @returns {import('vite').Plugin} */
export function duetSignaling() {
  /** @param {{ httpServer: import('node:http').Server | import('http2').Http2SecureServer | null }} server */
  const attach = ({ httpServer }) => {
    if (!httpServer) return // middleware mode: the host server attaches it (see server.js)
    const signaling = createSignalingServer({
      httpServer: /** @type {import('node:http').Server} */ (httpServer),
    })
    httpServer.once('close', () => void signaling.close())
  }
  return { name: 'duet-signaling', configureServer: attach, configurePreviewServer: attach }
}
