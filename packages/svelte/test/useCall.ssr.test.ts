// @vitest-environment node
// The node environment makes vite-plugin-svelte compile for the server, as SvelteKit would.
import type { SignalingServer } from '@duet/server'
import { render } from 'svelte/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import CallProbe from './fixtures/CallProbe.svelte'
import { startServer } from './support/nodePeers'

describe('useCall during SSR', () => {
  let server: SignalingServer
  let url: string

  beforeEach(async () => {
    ;({ server, url } = await startServer())
  })

  afterEach(async () => {
    await server.close()
  })

  it('should render idle and never connect, even when joining during initialisation', async () => {
    const { body } = render(CallProbe, {
      props: { signaling: url, roomId: 'room', label: 'ssr', autoJoin: true },
    })
    expect(body).toContain('idle')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.io.engine.clientsCount).toBe(0)
  })
})
