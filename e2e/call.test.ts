import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  framesDecoded,
  openTab,
  type StatusEntry,
  timeline,
  videoWidth,
  waitForStatus,
} from './browser'
import { useStage } from './stage'

// Needs the built client (`pnpm --filter demo build`) and, on our machines, a loopback-only
// network namespace: see e2e/README.md.
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url))

const joinButton = (page: Page) => page.getByRole('button', { name: 'Join', exact: true })
const hangUpButton = (page: Page) => page.getByRole('button', { name: 'Hang up', exact: true })

/** Polls until a video element decodes frames (videoWidth > 0). */
async function expectVideo(page: Page, testId: string): Promise<void> {
  await expect.poll(() => videoWidth(page, testId), { timeout: 10_000 }).toBeGreaterThan(0)
}

const errorOf = (page: Page) => page.getByTestId('call-error').textContent()

const firstAt = (log: StatusEntry[], status: string) => log.find((e) => e.status === status)?.at

describe('a call between two browser tabs', () => {
  // One context per person: separate storage, like two different browsers.
  const stage = useStage({ context: { viewport: { width: 900, height: 800 } } })
  let alice: Page
  let bob: Page
  let roomUrl: string

  beforeAll(async () => {
    alice = await openTab(await stage.newContext(), 'alice')
    bob = await openTab(await stage.newContext(), 'bob')
  })

  it('should send / to a fresh room and show the local preview before joining', async () => {
    await alice.goto(`${stage.server.url}/`)
    await alice.waitForURL(/\/room\/[a-z0-9]{10}$/)
    roomUrl = alice.url()
    await expectVideo(alice, 'local-video')
    await expect(joinButton(alice).isVisible()).resolves.toBe(true)
  })

  it('should wait in the room after the first Join', async () => {
    await joinButton(alice).click()
    await waitForStatus(alice, 'ready')
  })

  it('should connect both tabs when the second one joins', async () => {
    await bob.goto(roomUrl)
    await expectVideo(bob, 'local-video')
    await joinButton(bob).click()
    await Promise.all([waitForStatus(alice, 'connected'), waitForStatus(bob, 'connected')])

    const [a, b] = await Promise.all([timeline(alice), timeline(bob)])
    const clickedAt = b.joinAt!
    const ms = (at: number | undefined) => (at === undefined ? '?' : (at - clickedAt).toFixed(0))
    console.log(
      `Join (second tab) → connected: first tab ${ms(firstAt(a.log, 'connected'))} ms, ` +
        `second tab ${ms(firstAt(b.log, 'connected'))} ms`,
    )
    console.log(`  first tab: ${a.log.map((e) => e.status).join(' → ')}`)
    console.log(`  second tab: ${b.log.map((e) => e.status).join(' → ')}`)
  })

  it('should decode the other side’s video in each tab', async () => {
    for (const page of [alice, bob]) {
      await expectVideo(page, 'remote-video')
      const before = await framesDecoded(page)
      await expect.poll(() => framesDecoded(page), { timeout: 5_000 }).toBeGreaterThan(before)
    }
    await mkdir(artifacts, { recursive: true })
    await alice.screenshot({ path: `${artifacts}alice-connected.png` })
    await bob.screenshot({ path: `${artifacts}bob-connected.png` })
  })

  it('should turn a third person away from the full room', async () => {
    const carol = await openTab(await stage.newContext(), 'carol')
    await carol.goto(roomUrl)
    await joinButton(carol).click()
    await waitForStatus(carol, 'failed')
    await expect(errorOf(carol)).resolves.toMatch(/already has two people/)
    await Promise.all([waitForStatus(alice, 'connected'), waitForStatus(bob, 'connected')])
  })

  it('should end the call for the one who hangs up and leave the other waiting', async () => {
    await hangUpButton(alice).click()
    await Promise.all([waitForStatus(alice, 'ended'), waitForStatus(bob, 'ready')])
    await expect.poll(() => bob.getByTestId('remote-video').count()).toBe(0)
    await alice.screenshot({ path: `${artifacts}alice-ended.png` })
    await bob.screenshot({ path: `${artifacts}bob-waiting.png` })
  })

  it('should connect again when the one who hung up rejoins', async () => {
    await alice.getByRole('button', { name: 'Rejoin', exact: true }).click()
    await Promise.all([waitForStatus(alice, 'connected'), waitForStatus(bob, 'connected')])
    await expectVideo(alice, 'remote-video')
  })

  it('should explain a blocked camera', async () => {
    const context = await stage.newContext()
    // What a browser does when the person clicked "Block" on the camera prompt.
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
    })
    const dave = await openTab(context, 'dave')
    await dave.goto(roomUrl)
    await waitForStatus(dave, 'failed')
    await expect(errorOf(dave)).resolves.toMatch(/Camera or microphone access was blocked/)
  })
})
