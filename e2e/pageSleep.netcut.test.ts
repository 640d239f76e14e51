import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import {
  canCutNetwork,
  cutPeerTraffic,
  dropConnectionsTo,
  healPeerTraffic,
} from '../packages/core/test/support/network'
import { openTab, waitForStatus } from './browser'
import { decodingAgain } from './decoding'
import { type Stage, useStage } from './stage'

// Issue #17: a phone locked for a while. The tab is frozen through the DevTools protocol, and
// meanwhile its socket drops (headless Chromium keeps a frozen page's WebSocket answering the
// server's pings, so the drop is made: every connection to the server is destroyed, the awake
// tab's reconnects at once) and nftables drops every packet between the peers, so ICE fails
// too. Thawed with the network back, the call comes back by itself: resuming its place while
// the server holds it, joining afresh once it does not.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function callOfTwo(stage: Stage, room: string) {
  const stays = await openTab(await stage.newContext(), 'stays')
  const sleeps = await openTab(await stage.newContext(), 'sleeps')
  for (const page of [stays, sleeps]) {
    await page.goto(`${stage.server.url}/room/${room}?ui=svelte`)
    await button(page, 'Join').click()
  }
  await Promise.all([waitForStatus(stays, 'connected'), waitForStatus(sleeps, 'connected')])
  await decodingAgain(sleeps, 10_000)
  return { stays, sleeps }
}

/** Freezes the tab, drops its socket and the peers' traffic for `ms`, then thaws it. */
async function lockThePhone(stage: Stage, sleeps: Page, ms: number) {
  const session = await sleeps.context().newCDPSession(sleeps)
  await session.send('Page.setWebLifecycleState', { state: 'frozen' })
  const port = Number(new URL(stage.server.url).port)
  cutPeerTraffic(port)
  dropConnectionsTo(port)
  await pause(ms)
  healPeerTraffic()
  await session.send('Page.setWebLifecycleState', { state: 'active' })
  return Date.now()
}

describe.runIf(canCutNetwork)('a phone locked while the server holds its place', () => {
  const stage = useStage({ signaling: { resumeWindowMs: 30_000 } })
  afterAll(() => healPeerTraffic())

  it('should resume its place and decode video again once thawed', async () => {
    const { stays, sleeps } = await callOfTwo(stage, 'page-sleep')
    const session = lockThePhone(stage, sleeps, 12_000)
    // The server saw the socket go and holds the place: the other side says it is away.
    await stays.getByTestId('peer-away').waitFor({ timeout: 10_000 })
    const thawedAt = await session

    const decodedAt = await decodingAgain(sleeps, 30_000)
    await waitForStatus(sleeps, 'connected', 30_000)
    await stays.getByTestId('peer-away').waitFor({ state: 'hidden', timeout: 30_000 })
    const backAt = Date.now()
    await decodingAgain(stays, 10_000)
    console.log(
      `[sleep] resumed: thaw → frames decoding again ${decodedAt - thawedAt} ms; ` +
        `→ the other side sees it back ${backAt - thawedAt} ms`,
    )
    // The same peer came back: the other side never saw it leave.
    expect(await stays.getByTestId('peer-left').count()).toBe(0)
  })
})

describe.runIf(canCutNetwork)('a phone locked for longer than the server holds its place', () => {
  const stage = useStage({ signaling: { resumeWindowMs: 3000 } })
  afterAll(() => healPeerTraffic())

  it('should join afresh and decode video again once thawed', async () => {
    const { stays, sleeps } = await callOfTwo(stage, 'page-sleep-long')
    const session = lockThePhone(stage, sleeps, 12_000)
    // The window passed while it slept: the other side saw it leave.
    await stays.getByTestId('peer-left').waitFor({ timeout: 15_000 })
    const thawedAt = await session

    const decodedAt = await decodingAgain(sleeps, 30_000)
    await Promise.all([
      waitForStatus(sleeps, 'connected', 30_000),
      waitForStatus(stays, 'connected', 30_000),
    ])
    await decodingAgain(stays, 10_000)
    console.log(`[sleep] joined afresh: thaw → frames decoding again ${decodedAt - thawedAt} ms`)
  })
})
