import { svelte } from '@sveltejs/vite-plugin-svelte'
import vue from '@vitejs/plugin-vue'
import { defaultClientConditions, defaultServerConditions, defineConfig, type Plugin } from 'vite'
import { preloadUi } from './preloadUi'

export default defineConfig({
  // Both UIs in one app, each in its own lazy chunk (`?ui=vue`, the default, or `?ui=svelte`).
  plugins: [vue(), svelte(), signalingInDev(), preloadUi()],
  resolve: { conditions: ['@duet/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@duet/source', ...defaultServerConditions] } },
  build: { target: 'es2022' },
})

/**
 * `vite dev` hosts the signaling server on its own port, as the production server does, so the
 * client's signaling URL is always its origin. Loaded through Vite's SSR graph (not this
 * config's bundle) so it resolves to @duet/server's sources without a build.
 */
function signalingInDev(): Plugin {
  return {
    name: 'duet:signaling',
    apply: 'serve',
    async configureServer(server) {
      const httpServer = server.httpServer
      if (!httpServer) return
      const { createSignalingServer } = (await server.ssrLoadModule(
        '@duet/server',
      )) as typeof import('@duet/server')
      const signaling = createSignalingServer({
        httpServer: httpServer as import('node:http').Server,
      })
      httpServer.once('close', () => void signaling.close())
    },
  }
}
