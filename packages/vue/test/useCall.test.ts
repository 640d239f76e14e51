import type { SignalingServer } from '@duet/server'
import { cleanup, fireEvent, render, within } from '@testing-library/vue'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { useCall } from '../src'
import CallProbe from './fixtures/CallProbe.vue'
import { startServer } from './support/nodePeers'

const slow = { timeout: 10_000 }

describe('useCall', { timeout: 15_000 }, () => {
  let server: SignalingServer
  let url: string

  beforeEach(async () => {
    ;({ server, url } = await startServer())
  })

  afterEach(async () => {
    // Unmounting stops every actor, which closes its peer connections and sockets.
    cleanup()
    await server.close()
  })

  const mount = (label: string, options: { statsIntervalMs?: number } = {}) => {
    const { container, unmount } = render(CallProbe, {
      props: { signaling: url, roomId: 'room', label, ...options },
    })
    const view = within(container as HTMLElement)
    return {
      view,
      unmount,
      status: () => view.getByLabelText('status').textContent,
      click: (name: string) => fireEvent.click(view.getByRole('button', { name })),
    }
  }

  it('should throw a clear error when called outside a component setup', () => {
    expect(() => useCall({ signaling: url })).toThrowError(
      '[@duet/vue] useCall() must be called inside a component setup().',
    )
  })

  it('should render idle during SSR and never connect, even when joining in setup', async () => {
    const html = await renderToString(
      createSSRApp(CallProbe, { signaling: url, roomId: 'room', label: 'ssr', autoJoin: true }),
    )
    expect(html).toContain('idle')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.io.engine.clientsCount).toBe(0)
  })

  it('should join on mount when join() is called in setup', async () => {
    const { container } = render(CallProbe, {
      props: { signaling: url, roomId: 'room', label: 'eager', autoJoin: true },
    })
    await within(container as HTMLElement).findByText('ready', {}, slow)
  })

  it('should connect two components and show connected in both', async () => {
    const alice = mount('alice')
    expect(alice.status()).toBe('idle')
    await alice.click('Join')
    await alice.view.findByText('ready', {}, slow)
    const bob = mount('bob')
    await bob.click('Join')
    await bob.view.findByText('connected', {}, slow)
    await alice.view.findByText('connected', {}, slow)
    expect(alice.view.getByLabelText('peers').textContent).toBe('1')
  })

  it('should show a message sent by one component in the other', async () => {
    const alice = mount('alice')
    await alice.click('Join')
    await alice.view.findByText('ready', {}, slow)
    const bob = mount('bob')
    await bob.click('Join')
    await bob.view.findByText('connected', {}, slow)
    await alice.view.findByText('connected', {}, slow)

    await bob.click('Send')
    await alice.view.findByText('hello from bob', {}, slow)
    await alice.click('Send')
    await bob.view.findByText('hello from alice', {}, slow)
  })

  it('should send a file from one component to the other and report it through onFile', async () => {
    const alice = mount('alice')
    await alice.click('Join')
    await alice.view.findByText('ready', {}, slow)
    const bob = mount('bob')
    await bob.click('Join')
    await bob.view.findByText('connected', {}, slow)
    await alice.view.findByText('connected', {}, slow)

    await bob.click('Send file')
    await alice.view.findByText('bob.txt: file from bob', {}, slow)
  })

  it('should join the room the options hold when join() is called, not the one at setup', async () => {
    const { container, rerender } = render(CallProbe, {
      props: { signaling: url, roomId: 'first', label: 'mover' },
    })
    const view = within(container as HTMLElement)
    await rerender({ signaling: url, roomId: 'second', label: 'mover' })
    await fireEvent.click(view.getByRole('button', { name: 'Join' }))
    await view.findByText('ready', {}, slow)
    expect(view.getByLabelText('room').textContent).toBe('second')
  })

  it('should notify readers of a field only when that field changes, not on every sample', async () => {
    const alice = mount('alice', { statsIntervalMs: 20 })
    await alice.click('Join')
    await alice.view.findByText('ready', {}, slow)
    const bob = mount('bob')
    await bob.click('Join')
    await alice.view.findByText('connected', {}, slow)
    await alice.view.findByText('sampled', {}, slow)
    const runs = alice.view.getByLabelText('status runs').textContent
    // ~15 more stats samples change `peers`, never `status`.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(alice.view.getByLabelText('status runs').textContent).toBe(runs)
  })

  it('should stop the call on unmount, so the other side sees the peer leave', async () => {
    const alice = mount('alice')
    await alice.click('Join')
    await alice.view.findByText('ready', {}, slow)
    const bob = mount('bob')
    await bob.click('Join')
    await alice.view.findByText('connected', {}, slow)

    bob.unmount()
    await alice.view.findByText('ready', {}, slow)
    expect(alice.view.getByLabelText('peers').textContent).toBe('0')
  })

  it('should end the call on hang up and free the other side', async () => {
    const alice = mount('alice')
    await alice.click('Join')
    await alice.view.findByText('ready', {}, slow)
    const bob = mount('bob')
    await bob.click('Join')
    await alice.view.findByText('connected', {}, slow)

    await bob.click('Hang up')
    expect(bob.status()).toBe('ended')
    await alice.view.findByText('ready', {}, slow)
  })
})
