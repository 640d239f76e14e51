import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  endScreenShare,
  framesDecoded,
  liveCaptureTracks,
  localDescriptions,
  openTab,
  type StatusEntry,
  sentTrack,
  timeline,
  waitForStatus,
} from './browser'
import { startDemo, useStage } from './stage'

// A Vue tab calls a Svelte tab: the same room rendered by each binding, over the same core.
// Needs the built demo and, as root, the loopback-only namespace: see e2e/README.md.
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url))

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const firstAt = (log: StatusEntry[], status: string) => log.find((e) => e.status === status)?.at

/** Frames keep being decoded: the count rises within a few seconds. */
async function expectDecoding(page: Page): Promise<void> {
  const before = await framesDecoded(page)
  await expect.poll(() => framesDecoded(page), { timeout: 5_000 }).toBeGreaterThan(before)
}

describe('a Vue tab calls a Svelte tab', () => {
  // Three fake cameras, so switching devices switches for real (see the camera test).
  const stage = useStage({
    chromium: { cameras: 3 },
    context: { viewport: { width: 1100, height: 820 } },
  })
  let vue: Page
  let svelte: Page

  beforeAll(async () => {
    vue = await openTab(await stage.newContext(), 'vue')
    svelte = await openTab(await stage.newContext(), 'svelte')
    await mkdir(artifacts, { recursive: true })
  })

  it('should render the same room with each binding, with device pickers before joining', async () => {
    await vue.goto(`${stage.server.url}/?ui=vue`)
    await vue.waitForURL(/\/room\/[a-z0-9]{10}\?ui=vue$/)
    await svelte.goto(vue.url().replace('ui=vue', 'ui=svelte'))
    for (const [page, ui] of [
      [vue, 'vue'],
      [svelte, 'svelte'],
    ] as const) {
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.ui)).toBe(ui)
      await expect.poll(() => page.getByLabel('Camera').locator('option').count()).toBe(3)
      await expect(
        page.getByLabel('Microphone').locator('option').count(),
      ).resolves.toBeGreaterThan(0)
      await expect(button(page, 'Join').isEnabled()).resolves.toBe(true)
    }
  })

  it('should connect both tabs and decode the other side’s video in each', async () => {
    await button(vue, 'Join').click()
    await waitForStatus(vue, 'ready')
    await button(svelte, 'Join').click()
    await Promise.all([waitForStatus(vue, 'connected'), waitForStatus(svelte, 'connected')])

    const [first, second] = await Promise.all([timeline(vue), timeline(svelte)])
    const clickedAt = second.joinAt!
    const ms = (at: number | undefined) => (at === undefined ? '?' : (at - clickedAt).toFixed(0))
    console.log(
      `Join (Svelte tab, second) → connected: Vue tab ${ms(firstAt(first.log, 'connected'))} ms, ` +
        `Svelte tab ${ms(firstAt(second.log, 'connected'))} ms`,
    )
    await Promise.all([expectDecoding(vue), expectDecoding(svelte)])
  })

  it('should carry a chat message each way', async () => {
    const say = async (from: Page, to: Page, text: string) => {
      await from.getByLabel('Message', { exact: true }).fill(text)
      await button(from, 'Send').click()
      await expect.poll(() => to.getByTestId('chat-log').textContent()).toContain(text)
      await expect(from.getByTestId('chat-log').textContent()).resolves.toContain(text)
    }
    await say(vue, svelte, 'hello from Vue')
    await say(svelte, vue, 'hello from Svelte')
  })

  it('should send a file each way and offer it as a download with the same content', async () => {
    const send = async (from: Page, to: Page, name: string, content: string) => {
      const buffer = Buffer.from(content)
      await from.getByLabel('Send file').setInputFiles({ name, mimeType: 'text/plain', buffer })
      const link = to.getByRole('link', { name })
      await link.waitFor({ timeout: 10_000 })
      await expect(link.getAttribute('download')).resolves.toBe(name)
      const received = await link.evaluate((a: HTMLAnchorElement) =>
        fetch(a.href).then((response) => response.text()),
      )
      expect(received).toBe(content)
      await expect
        .poll(() => from.getByTestId('transfers').textContent())
        .toMatch(new RegExp(`${name}\\s*sent, [\\d.]+ k?B`))
    }
    await send(vue, svelte, 'from-vue.txt', `Vue → Svelte ${'♪'.repeat(2000)}`)
    await send(svelte, vue, 'from-svelte.txt', 'Svelte → Vue, a second file')
  })

  it('should mute and unmute the microphone without renegotiating', async () => {
    const offers = await localDescriptions(vue)
    await button(vue, 'Mute microphone').click()
    await button(vue, 'Unmute microphone').waitFor()
    expect(await liveCaptureTracks(vue, 'audio')).toEqual([
      expect.objectContaining({ enabled: false }),
    ])
    expect((await sentTrack(vue, 'audio'))?.enabled).toBe(false)

    await button(vue, 'Unmute microphone').click()
    await button(vue, 'Mute microphone').waitFor()
    expect((await sentTrack(vue, 'audio'))?.enabled).toBe(true)
    expect(await localDescriptions(vue)).toBe(offers)
  })

  it('should switch to the other camera on the same sender, without renegotiating', async () => {
    // Chromium's fake_device_1 is a Y16 depth camera that VP8 cannot encode (the remote then
    // freezes); fake_device_2 is an MJPEG one, decoded to I420 like a real webcam's stream.
    const cameras = await svelte.evaluate(async () =>
      (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput'),
    )
    const before = (await sentTrack(svelte, 'video'))!
    expect(before.label).toBe('fake_device_0')
    const other = cameras.find((camera) => camera.label === 'fake_device_2')!
    const offers = [await localDescriptions(vue), await localDescriptions(svelte)]

    await svelte.getByLabel('Camera').selectOption(other.deviceId)
    await expect.poll(async () => (await sentTrack(svelte, 'video'))?.deviceId).toBe(other.deviceId)
    const after = (await sentTrack(svelte, 'video'))!
    expect(after.id).not.toBe(before.id)
    expect(after).toMatchObject({ readyState: 'live', label: 'fake_device_2' })
    // The old camera is released, not kept running behind the new one.
    expect(await liveCaptureTracks(svelte, 'video')).toEqual([
      expect.objectContaining({ id: after.id }),
    ])
    expect([await localDescriptions(vue), await localDescriptions(svelte)]).toEqual(offers)
    await expectDecoding(vue)

    // The same from the Vue tab's picker.
    await vue.getByLabel('Camera').selectOption({ label: 'fake_device_2' })
    await expect.poll(async () => (await sentTrack(vue, 'video'))?.label).toBe('fake_device_2')
    expect([await localDescriptions(vue), await localDescriptions(svelte)]).toEqual(offers)
    await expectDecoding(svelte)
  })

  it('should turn the camera off and on again without renegotiating', async () => {
    const offers = [await localDescriptions(vue), await localDescriptions(svelte)]
    await button(vue, 'Turn camera off').click()
    await button(vue, 'Turn camera on').waitFor()
    await expect.poll(() => sentTrack(vue, 'video')).toBeNull()
    // Off means off: no camera track left running (its light goes out).
    expect(await liveCaptureTracks(vue, 'video')).toEqual([])

    await button(vue, 'Turn camera on').click()
    await button(vue, 'Turn camera off').waitFor()
    await expect.poll(async () => (await sentTrack(vue, 'video'))?.readyState).toBe('live')
    // Back on the camera picked before (fake_device_2), not the default one.
    expect((await sentTrack(vue, 'video'))?.label).toBe('fake_device_2')
    expect([await localDescriptions(vue), await localDescriptions(svelte)]).toEqual(offers)
    await expectDecoding(svelte)
  })

  it('should share the screen, then fall back to the camera when the browser ends it', async () => {
    const offers = [await localDescriptions(vue), await localDescriptions(svelte)]
    const camera = (await sentTrack(svelte, 'video'))!
    await button(svelte, 'Share screen').click()
    await button(svelte, 'Stop sharing').waitFor()
    await expect.poll(async () => (await sentTrack(svelte, 'video'))?.label).toMatch(/^screen/)
    await expectDecoding(vue)
    await svelte.screenshot({ path: `${artifacts}svelte-sharing.png` })

    // The browser's own "Stop sharing" ends the track behind the app's back.
    await endScreenShare(svelte)
    await button(svelte, 'Share screen').waitFor()
    await expect.poll(async () => (await sentTrack(svelte, 'video'))?.id).toBe(camera.id)
    expect(await liveCaptureTracks(svelte, 'video')).toEqual([
      expect.objectContaining({ id: camera.id }),
    ])
    expect([await localDescriptions(vue), await localDescriptions(svelte)]).toEqual(offers)
    await expectDecoding(vue)
  })

  it('should show live stats over the video in both tabs', async () => {
    for (const page of [vue, svelte]) {
      await button(page, 'Stats').click()
      const stats = page.getByTestId('stats')
      await expect.poll(() => stats.textContent()).toMatch(/RTT\s*\d+ ms/)
      await expect.poll(() => stats.textContent()).toMatch(/Bitrate in\s*[\d.]+ (k|M)bit\/s/)
      await expect(stats.textContent()).resolves.toMatch(/Frames decoded\s*[1-9]\d*/)
      await expect(stats.textContent()).resolves.toContain('host')
    }
    await vue.screenshot({ path: `${artifacts}vue-tab.png`, fullPage: true })
    await svelte.screenshot({ path: `${artifacts}svelte-tab.png`, fullPage: true })
  })

  it('should show a third tab the room-full screen, with a way to a new room', async () => {
    const carol = await openTab(await stage.newContext(), 'carol')
    await carol.goto(vue.url().replace('ui=vue', 'ui=svelte'))
    await button(carol, 'Join').click()
    await waitForStatus(carol, 'failed')
    await expect(
      carol.getByRole('heading', { name: 'This room is full' }).isVisible(),
    ).resolves.toBe(true)
    await expect(
      carol.getByRole('link', { name: 'Start a new room' }).getAttribute('href'),
    ).resolves.toBe('/?ui=svelte')
    await carol.screenshot({ path: `${artifacts}svelte-room-full.png` })
    await carol.close()
  })

  it('should end the call for the one who hangs up and leave the other waiting', async () => {
    await button(svelte, 'Hang up').click()
    await Promise.all([waitForStatus(svelte, 'ended'), waitForStatus(vue, 'ready')])
  })

  it('should explain an unreachable call server and offer to try again', async () => {
    // A server of its own that goes away once the page is loaded: a real refused connection.
    const doomed = await startDemo()
    const erin = await openTab(await stage.newContext(), 'erin')
    await erin.goto(`${doomed.url}/room/unreachable?ui=vue`)
    await button(erin, 'Join').waitFor()
    await doomed.close()
    await button(erin, 'Join').click()
    await waitForStatus(erin, 'failed')
    await expect(
      erin.getByRole('heading', { name: 'Can’t reach the call server' }).isVisible(),
    ).resolves.toBe(true)
    await expect(button(erin, 'Try again').isVisible()).resolves.toBe(true)
    await erin.screenshot({ path: `${artifacts}vue-unreachable.png` })
    await erin.close()
  })

  it('should let someone with a blocked camera join without it and still see the other side', async () => {
    const context = await stage.newContext()
    // What a browser does when the person clicked "Block" on the camera prompt.
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
    })
    const dave = await openTab(context, 'dave')
    await dave.goto(vue.url().replace('ui=vue', 'ui=svelte'))
    await waitForStatus(dave, 'failed')
    await expect(
      dave.getByRole('heading', { name: 'Camera or microphone unavailable' }).isVisible(),
    ).resolves.toBe(true)
    await dave.screenshot({ path: `${artifacts}svelte-camera-blocked.png` })

    await button(dave, 'Join without camera').click()
    await Promise.all([waitForStatus(dave, 'connected'), waitForStatus(vue, 'connected')])
    await expect(dave.getByTestId('receive-only').isVisible()).resolves.toBe(true)
    await expectDecoding(dave)
  })
})
