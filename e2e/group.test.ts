import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { localDescriptions, openTab, waitForStatus } from './browser'
import { useStage } from './stage'

// Group calls (#16): four tabs, Vue and Svelte mixed, in a full mesh over the demo.
// Needs the built demo and, as root, the loopback-only namespace: see e2e/README.md.
const LIMIT = 4

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })

/** Chromium's fake camera at 320x240 and 15 fps: four tabs encode and decode 12 videos on 2 cores. */
function smallCamera(): void {
  const devices = navigator.mediaDevices
  const getUserMedia = devices.getUserMedia.bind(devices)
  devices.getUserMedia = (constraints) =>
    getUserMedia(
      constraints?.video
        ? {
            ...constraints,
            video: {
              ...(typeof constraints.video === 'object' ? constraints.video : {}),
              width: 320,
              height: 240,
              frameRate: 15,
            },
          }
        : constraints,
    )
}

/** What the tab shows and sends: remote tiles decoding, and each video sender's bitrate cap. */
function meshView(page: Page) {
  return page.evaluate(async () => {
    const tiles = [...document.querySelectorAll<HTMLVideoElement>('[data-testid="remote-video"]')]
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter(
      (pc) => pc.connectionState === 'connected',
    )
    const decoding: number[] = []
    for (const pc of pcs) {
      for (const report of (await pc.getStats()).values()) {
        if (report.type === 'inbound-rtp' && report.kind === 'video') {
          decoding.push(report.framesDecoded ?? 0)
        }
      }
    }
    const caps = pcs.flatMap((pc) =>
      pc
        .getTransceivers()
        .filter((t) => t.receiver.track.kind === 'video')
        .map((t) => t.sender.getParameters().encodings[0]?.maxBitrate ?? null),
    )
    return {
      tiles: tiles.length,
      playing: tiles.filter((video) => video.videoWidth > 0).length,
      connections: pcs.length,
      framesDecoded: decoding,
      caps,
    }
  })
}

/** Every tab shows `others` remote videos with decoded frames, each over its own connection. */
async function expectMesh(pages: Page[], others: number, timeout = 20_000) {
  await Promise.all(
    pages.map((page) =>
      expect
        .poll(
          async () => {
            const view = await meshView(page)
            return [view.tiles, view.playing, view.connections]
          },
          { timeout },
        )
        .toEqual([others, others, others]),
    ),
  )
}

/** Frames keep arriving from every remote peer: each connection's decoded count rises. */
async function expectEveryoneDecoding(page: Page) {
  const before = (await meshView(page)).framesDecoded
  await expect
    .poll(
      async () => {
        const after = (await meshView(page)).framesDecoded
        return (
          after.length === before.length && after.every((frames, i) => frames > (before[i] ?? 0))
        )
      },
      { timeout: 10_000 },
    )
    .toBe(true)
}

const freshRoom = (round: number) => `/room/group${String(round).padStart(5, '0')}`

describe(`a group call of ${LIMIT} tabs, Vue and Svelte mixed`, () => {
  const stage = useStage({
    context: { viewport: { width: 900, height: 700 } },
    signaling: { maxPeersPerRoom: LIMIT },
  })
  const tabs: Page[] = []
  const ui = (index: number) => (index % 2 === 0 ? 'vue' : 'svelte')
  let roomPath: string

  beforeAll(async () => {
    for (let index = 0; index < LIMIT; index += 1) {
      const context = await stage.newContext()
      await context.addInitScript(smallCamera)
      tabs.push(await openTab(context, `${ui(index)}-${index}`))
    }
  })

  it('should show three remote videos in every tab when four join one after another', async () => {
    const [first] = tabs as [Page]
    await first.goto(`${stage.server.url}/?ui=vue`)
    await first.waitForURL(/\/room\/[a-z0-9]{10}\?ui=vue$/)
    roomPath = new URL(first.url()).pathname
    for (const [index, tab] of tabs.entries()) {
      if (index > 0) await tab.goto(`${stage.server.url}${roomPath}?ui=${ui(index)}`)
      await button(tab, 'Join').click()
      await waitForStatus(tab, index === 0 ? 'ready' : 'connected')
    }
    await expectMesh(tabs, LIMIT - 1)
    await Promise.all(tabs.map((tab) => waitForStatus(tab, 'connected')))
    for (const tab of tabs) {
      await expectEveryoneDecoding(tab)
      // Three remote peers: each of the three copies of our video gets 2.5 Mbps / 3.
      expect((await meshView(tab)).caps).toEqual([833_333, 833_333, 833_333])
      await expect(tab.getByTestId('remote-grid').getAttribute('data-count')).resolves.toBe('3')
    }
  }, 90_000)

  it('should refuse a fifth tab with the room-full screen', async () => {
    const context = await stage.newContext()
    await context.addInitScript(smallCamera)
    const fifth = await openTab(context, 'fifth')
    await fifth.goto(`${stage.server.url}${roomPath}?ui=svelte`)
    await button(fifth, 'Join').click()
    await waitForStatus(fifth, 'failed')
    await expect(
      fifth.getByRole('heading', { name: 'This room is full' }).isVisible(),
    ).resolves.toBe(true)
    await expect(fifth.getByTestId('call-error').textContent()).resolves.toMatch(
      /already has four people/,
    )
    await context.close()
    for (const tab of tabs) await waitForStatus(tab, 'connected')
  }, 30_000)

  it('should keep the other three decoding, with no renegotiation among them, when one leaves', async () => {
    const stay = tabs.slice(0, 3)
    const leaving = tabs[3] as Page
    const before = await Promise.all(stay.map((tab) => localDescriptions(tab)))
    await button(leaving, 'Hang up').click()
    await waitForStatus(leaving, 'ended')
    await expectMesh(stay, 2)
    for (const tab of stay) {
      await expectEveryoneDecoding(tab)
      // Two remote peers now: the cap rises to 1 Mbps each, still without an offer.
      await expect.poll(async () => (await meshView(tab)).caps).toEqual([1_000_000, 1_000_000])
    }
    expect(await Promise.all(stay.map((tab) => localDescriptions(tab)))).toEqual(before)
  }, 60_000)

  it('should connect all four when they press Join at the same instant, 10 rounds', async () => {
    for (let round = 1; round <= 10; round += 1) {
      const path = freshRoom(round)
      // A reload per round: the same browser and tabs, a fresh page and call each time.
      await Promise.all(
        tabs.map(async (tab, index) => {
          await tab.goto(`${stage.server.url}${path}?ui=${ui(index)}`)
          await button(tab, 'Join').waitFor()
        }),
      )
      // Clicked from inside each page in one go: no tab gets a head start of a round trip.
      await Promise.all(
        tabs.map((tab) =>
          tab.evaluate(() =>
            [...document.querySelectorAll('button')]
              .find((candidate) => candidate.textContent?.trim() === 'Join')
              ?.click(),
          ),
        ),
      )
      await expectMesh(tabs, LIMIT - 1, 30_000)
      await Promise.all(tabs.map((tab) => waitForStatus(tab, 'connected')))
    }
  }, 240_000)
})
