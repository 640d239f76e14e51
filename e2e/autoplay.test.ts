import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { framesDecoded, openTab, videoWidth, waitForStatus } from './browser'
import { useStage } from './stage'

// Safari and iOS refuse to start audible media before the user interacted with the page, unless
// the page captures camera or microphone. No WebKit with WebRTC runs here, so Chromium is given
// the same rule: a receive-only tab that joined without a real gesture gets its remote video
// refused, shows the hint, and plays on the next key press.
// Needs the built demo and, as root, the loopback-only namespace: see e2e/README.md.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const hint = (page: Page) => page.getByTestId('autoplay-hint')
const remotePaused = (page: Page) =>
  page.evaluate(
    () => document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')?.paused ?? null,
  )

/**
 * Runs in the guest's page: the camera is blocked, and the person picks "Join without camera",
 * clicked by a page script, which is no user gesture. Receiving only, the page captures nothing:
 * Chromium, like Safari, lets a capturing page autoplay, so only this guest is refused.
 */
function joinReceiveOnlyWithoutGesture(): void {
  navigator.mediaDevices.getUserMedia = () =>
    Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
  const observer = new MutationObserver(() => {
    const join = [...document.querySelectorAll('button')].find(
      (candidate) => candidate.textContent?.trim() === 'Join without camera',
    )
    if (!join) return
    observer.disconnect()
    join.click()
  })
  observer.observe(document, { subtree: true, childList: true })
}

describe.each(['vue', 'svelte'])('a %s tab whose autoplay is refused', (ui) => {
  const stage = useStage({ chromium: { autoplayPolicy: 'document-user-activation-required' } })

  it('should show the hint, then play the remote video after the next key press', async () => {
    const host = await openTab(await stage.newContext(), 'host')
    const guest = await openTab(await stage.newContext(), 'guest')
    await host.goto(`${stage.server.url}/?ui=${ui}`)
    await host.waitForURL(/\/room\/[a-z0-9]{10}\?ui=/)
    // A real click: the host has interacted, so its video may start by itself.
    await button(host, 'Join').click()
    await waitForStatus(host, 'ready')

    // Nothing may touch the guest until its remote video was refused: Playwright's evaluate
    // runs as a user gesture, which would let the video start.
    await guest.addInitScript(joinReceiveOnlyWithoutGesture)
    await guest.goto(host.url())
    await waitForStatus(host, 'connected')

    await hint(guest).waitFor({ timeout: 10_000 })
    // A locator's wait, as for the hint, not waitForStatus: its polling evaluates, each one a
    // gesture, and the video's `autoplay` then starts it by itself once the hint came before
    // the connection (the order since the offer rides the join).
    await guest
      .locator('[data-testid="call-status"]', { hasText: /^\s*connected\s*$/ })
      .waitFor({ timeout: 15_000 })
    expect(await remotePaused(guest)).toBe(true)
    expect(await hint(host).count()).toBe(0)

    await guest.keyboard.press('a')
    await hint(guest).waitFor({ state: 'detached', timeout: 10_000 })
    expect(await remotePaused(guest)).toBe(false)
    await expect
      .poll(() => videoWidth(guest, 'remote-video'), { timeout: 10_000 })
      .toBeGreaterThan(0)
    const before = await framesDecoded(guest)
    await expect.poll(() => framesDecoded(guest), { timeout: 5_000 }).toBeGreaterThan(before)
  })
})
