import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer } from '../nodePeers'
import type { CallProbeProps, Interaction, Mounted, Phase } from './adapter'

/** What {@link callContract} needs from a binding. */
export interface CallAdapter extends Interaction {
  phase: Phase
  /** Mounts the binding's `CallProbe` fixture. */
  mount(props: CallProbeProps): Mounted<CallProbeProps>
  /** Calls the binding's `useCall` outside any component. */
  useCallOutside(signaling: string): unknown
  /** What that call throws. */
  misuseMessage: string
}

const slow = { timeout: 10_000 }

/** `useCall` in components on real Node WebRTC peers and a real signaling server. */
export function callContract(adapter: CallAdapter): void {
  describe('useCall', { timeout: 15_000 }, () => {
    let server: SignalingServer
    let url: string

    beforeEach(async () => {
      ;({ server, url } = await startServer())
    })

    afterEach(async () => {
      // Unmounting stops every actor, which closes its peer connections and sockets.
      adapter.cleanup()
      await server.close()
    })

    const mount = (label: string, options: Partial<CallProbeProps> = {}) => {
      const { view, unmount, rerender } = adapter.mount({
        signaling: url,
        roomId: 'room',
        label,
        ...options,
      })
      return {
        view,
        unmount,
        rerender,
        status: () => view.getByLabelText('status').textContent,
        click: (name: string) => adapter.click(view.getByRole('button', { name })),
      }
    }

    /** Alice joins first and waits alone; Bob joins, and both end up connected. */
    const connectPair = async (alice = mount('alice')) => {
      await alice.click('Join')
      await alice.view.findByText('ready', {}, slow)
      const bob = mount('bob')
      await bob.click('Join')
      await bob.view.findByText('connected', {}, slow)
      await alice.view.findByText('connected', {}, slow)
      return { alice, bob }
    }

    it(`should throw a clear error when called outside ${adapter.phase.outside}`, () => {
      expect(() => adapter.useCallOutside(url)).toThrowError(adapter.misuseMessage)
    })

    it(`should join on mount when join() is called ${adapter.phase.during}`, async () => {
      const eager = mount('eager', { autoJoin: true })
      await eager.view.findByText('ready', {}, slow)
    })

    it('should connect two components and show connected in both', async () => {
      const alice = mount('alice')
      expect(alice.status()).toBe('idle')
      await connectPair(alice)
      expect(alice.view.getByLabelText('peers').textContent).toBe('1')
    })

    it('should show a message sent by one component in the other', async () => {
      const { alice, bob } = await connectPair()

      await bob.click('Send')
      await alice.view.findByText('hello from bob', {}, slow)
      await alice.click('Send')
      await bob.view.findByText('hello from alice', {}, slow)
    })

    it('should send a file from one component to the other and report it through onFile', async () => {
      const { alice, bob } = await connectPair()

      await bob.click('Send file')
      await alice.view.findByText('bob.txt: file from bob', {}, slow)
    })

    it('should join the room the options hold when join() is called, not the one at setup', async () => {
      const mover = mount('mover', { roomId: 'first' })
      await mover.rerender({ signaling: url, roomId: 'second', label: 'mover' })
      await mover.click('Join')
      await mover.view.findByText('ready', {}, slow)
      expect(mover.view.getByLabelText('room').textContent).toBe('second')
    })

    it('should notify readers of a field only when that field changes, not on every sample', async () => {
      const { alice } = await connectPair(mount('alice', { statsIntervalMs: 20 }))
      await alice.view.findByText('sampled', {}, slow)
      const runs = alice.view.getByLabelText('status runs').textContent
      // ~15 more stats samples change `peers`, never `status`.
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(alice.view.getByLabelText('status runs').textContent).toBe(runs)
    })

    // Issue #17: quality and route per peer, and audio fields that only notify their own readers.
    it('should show each peer’s connection quality and route, without re-running readers of the audio fields', async () => {
      const { alice } = await connectPair(mount('alice', { statsIntervalMs: 50 }))
      const shown = (label: string) => alice.view.getByLabelText(label).textContent
      await expect.poll(() => shown('quality'), slow).toMatch(/^(excellent|good)$/)
      expect(shown('route')).toBe('direct')
      const runs = shown('speaker runs')
      // Stats samples keep changing `peers`; a data-only call has no voice to change the audio.
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(shown('speaker runs')).toBe(runs)
    })

    // #16: in a group call each peer's tile follows that peer only.
    it('should re-render a peer only when that peer changes, not on the other peers’ samples', async () => {
      const group = await startServer({ maxPeersPerRoom: 3 })
      try {
        const join = async (label: string, statsIntervalMs = 0) => {
          const member = mount(label, { signaling: group.url, statsIntervalMs })
          await member.click('Join')
          await member.view.findByText(label === 'alice' ? 'ready' : 'connected', {}, slow)
          return member
        }
        const alice = await join('alice', 20)
        await join('bob')
        await join('carol')
        await alice.view.findByText('connected', {}, slow)
        await alice.view.findByText('sampled', {}, slow)
        // ~15 samples per peer, each changing one peer's stats.
        await new Promise((resolve) => setTimeout(resolve, 300))
        expect(alice.view.getByLabelText('peers').textContent).toBe('2')
        expect(alice.view.getByLabelText('peer 0 idle renders').textContent).toBe('0')
        expect(alice.view.getByLabelText('peer 1 idle renders').textContent).toBe('0')
      } finally {
        adapter.cleanup()
        await group.server.close()
      }
    })

    it('should stop the call on unmount, so the other side sees the peer leave', async () => {
      const { alice, bob } = await connectPair()

      bob.unmount()
      await alice.view.findByText('ready', {}, slow)
      expect(alice.view.getByLabelText('peers').textContent).toBe('0')
    })

    it('should end the call on hang up and free the other side', async () => {
      const { alice, bob } = await connectPair()

      await bob.click('Hang up')
      expect(bob.status()).toBe('ended')
      await alice.view.findByText('ready', {}, slow)
    })
  })
}
