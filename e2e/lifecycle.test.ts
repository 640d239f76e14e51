import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { leftovers, openTab, waitForStatus } from './browser'
import { useStage } from './stage'

// Mounting and unmounting a component that uses a binding must leave nothing behind: no live
// capture track (the camera light goes out) and no RTCPeerConnection that is not closed. The
// demo's `?lifecycle` harness adds an "Unmount call" / "Mount call" button around the room page.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })

describe.each(['vue', 'svelte'] as const)('unmounting the %s room page', (ui) => {
  const stage = useStage()
  let page: Page
  let other: Page

  beforeAll(async () => {
    page = await openTab(await stage.newContext(), ui)
    other = await openTab(await stage.newContext(), `${ui}'s peer`)
  })

  it('should release the preview’s tracks when unmounted before joining', async () => {
    await page.goto(`${stage.server.url}/room/lifecycle-${ui}?ui=${ui}&lifecycle`)
    // The preview already holds the connection it will offer from (core's warm-up).
    await expect
      .poll(() => leftovers(page), { timeout: 10_000 })
      .toEqual({ liveTracks: 2, openConnections: 1 })
    await button(page, 'Unmount call').click()
    await expect
      .poll(() => leftovers(page), { timeout: 10_000 })
      .toEqual({ liveTracks: 0, openConnections: 0 })
  })

  it('should close the connection and release every track when unmounted in a call', async () => {
    await button(page, 'Mount call').click()
    await button(page, 'Join').click()
    await waitForStatus(page, 'ready')
    // The other side runs the other binding: unmounting one must not depend on the other's.
    await other.goto(
      `${stage.server.url}/room/lifecycle-${ui}?ui=${ui === 'vue' ? 'svelte' : 'vue'}`,
    )
    await button(other, 'Join').click()
    await Promise.all([waitForStatus(page, 'connected'), waitForStatus(other, 'connected')])
    // Camera off and on, and a screen share, hand out more tracks the unmount must also stop.
    await button(page, 'Turn camera off').click()
    await button(page, 'Turn camera on').click()
    await button(page, 'Share screen').click()
    await button(page, 'Stop sharing').waitFor()
    const before = await leftovers(page)
    expect(before.openConnections).toBe(1)
    expect(before.liveTracks).toBeGreaterThanOrEqual(3)

    await button(page, 'Unmount call').click()
    await expect
      .poll(() => leftovers(page), { timeout: 10_000 })
      .toEqual({ liveTracks: 0, openConnections: 0 })
    // Nothing of the call is held open on the other side either: it sees this peer leave, and
    // only the spare connection it keeps to answer the next peer is open.
    await waitForStatus(other, 'ready')
    await expect
      .poll(() => leftovers(other), { timeout: 10_000 })
      .toMatchObject({ openConnections: 1 })
  })
})
