// Starts the Duet signaling server with Nitro: with `nuxt dev` and with the production server
// (`node .output/server/index.mjs`) alike. It listens on a port of its own (runtime config
// `public.signalingPort`), since Nitro does not hand its HTTP server to plugins.
import { createServer } from 'node:http'
import { createSignalingServer } from '@duet/server'

export default defineNitroPlugin((nitroApp) => {
  const port = Number(useRuntimeConfig().public.signalingPort)
  const host = process.env.NITRO_HOST || process.env.HOST || undefined
  const httpServer = createServer((_request, response) => response.writeHead(404).end())
  const signaling = createSignalingServer({ httpServer })
  httpServer.on('error', (error) => console.error(`[duet] signaling server: ${error.message}`))
  httpServer.listen(port, host, () => console.log(`[duet] signaling on port ${port}`))
  nitroApp.hooks.hook('close', () => signaling.close())
})
