import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer } from '../nodePeers'
import type { CallProbeProps, Phase } from './adapter'

/** What {@link ssrContract} needs from a binding. */
export interface SsrAdapter {
  phase: Phase
  /** Server-renders the binding's `CallProbe` fixture to HTML. */
  renderToString(props: CallProbeProps): Promise<string>
}

/** `useCall` rendered on the server: it must show the idle state and never open a socket. */
export function ssrContract(adapter: SsrAdapter): void {
  describe('useCall during SSR', () => {
    let server: SignalingServer
    let url: string

    beforeEach(async () => {
      ;({ server, url } = await startServer())
    })

    afterEach(async () => {
      await server.close()
    })

    it(`should render idle and never connect, even when joining ${adapter.phase.during}`, async () => {
      const html = await adapter.renderToString({
        signaling: url,
        roomId: 'room',
        label: 'ssr',
        autoJoin: true,
      })
      expect(html).toContain('idle')
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(server.io.engine.clientsCount).toBe(0)
    })
  })
}
