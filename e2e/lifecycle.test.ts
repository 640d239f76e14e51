import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoServer, startDemoServer } from '../apps/demo/server/app'
import { launchChromium, leftovers, openTab, waitForStatus } from './browser'

// Mounting and unmounting a component that uses a binding must leave nothing behind: no live
// capture track (the camera light goes out) and no RTCPeerConnection that is not closed. The
// demo's `?lifecycle` harness adds an "Unmount call" / "Mount call" button around the room page.
const staticDir = fileURLToPath(new URL('../apps/demo/dist', import.meta.url))

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })

describe.each(['vue', 'svelte'] as const)('unmounting the %s room page', (ui) => {
  let server: DemoServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  let page: Page
  let other: Page

  beforeAll(async () => {
    server = await startDemoServer({ port: 0, host: '127.0.0.1', staticDir })
    browser = await launchChromium()
    page = await openTab(await newContext(), ui)
    other = await openTab(await newContext(), `${ui}'s peer`)
  })

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext()
    contexts.push(context)
    return context
  }

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {})
    await browser?.close()
    await server?.close()
  })

  it('should release the preview’s tracks when unmounted before joining', async () => {
    await page.goto(`${server.url}/room/lifecycle-${ui}?ui=${ui}&lifecycle`)
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
    await other.goto(`${server.url}/room/lifecycle-${ui}?ui=${ui === 'vue' ? 'svelte' : 'vue'}`)
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
