import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import {
  canCutNetwork,
  connectionsTo,
  cutPeerTraffic,
  healPeerTraffic,
  takeOffline,
} from '../packages/core/test/support/network'
import { openTab, timeline, waitForStatus } from './browser'
import { decodingAgain } from './decoding'
import { type Stage, useStage } from './stage'

// Issue #17: a phone locked for a while, off the network meanwhile. The tab is asked to freeze
// through the DevTools protocol, but headless Chromium keeps running it (its timers kept firing
// and no `freeze` or `resume` event came, measured), so what a locked phone goes through is
// made: the browser goes offline (`offline`, then `online` events), the tab's connections to
// the server are destroyed and new ones refused (the server sees its socket drop), and
// nftables drops every packet between the peers, so ICE fails too. With the network back the
// call comes back by itself: resuming its place while the server holds it, joining afresh once
// it does not.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What the tab said once the network was back, and when: `reconnecting +12 ms, connected +803 ms`. */
async function saidAfter(page: Page, thawedAt: number) {
  const { log } = await timeline(page)
  return log
    .filter(({ at }) => at >= thawedAt - 50)
    .map(({ status, at }) => `${status} +${Math.round(at - thawedAt)} ms`)
    .join(', ')
}

const portOf = (stage: Stage) => Number(new URL(stage.server.url).port)

/** Two tabs in a call; `sleeper` lists the connections the second one made to the server. */
async function callOfTwo(stage: Stage, room: string) {
  const join = async (page: Page) => {
    await page.goto(`${stage.server.url}/room/${room}?ui=svelte`)
    await button(page, 'Join').click()
    await waitForStatus(page, page === stays ? 'ready' : 'connected')
  }
  const stays = await openTab(await stage.newContext(), 'stays')
  await join(stays)
  const staysConnections = connectionsTo(portOf(stage))
  const sleeps = await openTab(await stage.newContext(), 'sleeps')
  await join(sleeps)
  await waitForStatus(stays, 'connected')
  await decodingAgain(sleeps, 10_000)
  const sleeper = connectionsTo(portOf(stage)).filter((port) => !staysConnections.includes(port))
  return { stays, sleeps, sleeper }
}

/** Locks the phone for `ms`: the tab frozen (where the browser does), offline, its peer traffic cut. */
async function lockThePhone(stage: Stage, sleeps: Page, sleeper: number[], ms: number) {
  const session = await sleeps.context().newCDPSession(sleeps)
  await session.send('Page.setWebLifecycleState', { state: 'frozen' })
  await sleeps.context().setOffline(true)
  cutPeerTraffic(portOf(stage))
  takeOffline(portOf(stage), sleeper)
  await pause(ms)
  healPeerTraffic()
  await sleeps.context().setOffline(false)
  await session.send('Page.setWebLifecycleState', { state: 'active' })
  return Date.now()
}

describe.runIf(canCutNetwork)('a phone locked while the server holds its place', () => {
  const stage = useStage({ signaling: { resumeWindowMs: 30_000 } })
  afterAll(() => healPeerTraffic())

  it('should resume its place and decode video again once the network is back', async () => {
    const { stays, sleeps, sleeper } = await callOfTwo(stage, 'page-sleep')
    const session = lockThePhone(stage, sleeps, sleeper, 12_000)
    // The server saw the socket go and holds the place: the other side says it is away.
    await stays.getByTestId('peer-away').waitFor({ timeout: 10_000 })
    const thawedAt = await session

    const decodedAt = await decodingAgain(sleeps, 30_000)
    await waitForStatus(sleeps, 'connected', 30_000)
    await stays.getByTestId('peer-away').waitFor({ state: 'hidden', timeout: 30_000 })
    const backAt = Date.now()
    await decodingAgain(stays, 10_000)
    console.log(
      `[sleep] resumed: network back → frames decoding again ${decodedAt - thawedAt} ms; ` +
        `→ the other side sees it back ${backAt - thawedAt} ms (said ${await saidAfter(sleeps, thawedAt)})`,
    )
    // The same peer came back: the other side never saw it leave.
    expect(await stays.getByTestId('peer-left').count()).toBe(0)
  })
})

describe.runIf(canCutNetwork)('a phone locked for longer than the server holds its place', () => {
  const stage = useStage({ signaling: { resumeWindowMs: 3000 } })
  afterAll(() => healPeerTraffic())

  it('should join afresh and decode video again once the network is back', async () => {
    const { stays, sleeps, sleeper } = await callOfTwo(stage, 'page-sleep-long')
    const session = lockThePhone(stage, sleeps, sleeper, 12_000)
    // The window passed while it slept: the other side saw it leave.
    await stays.getByTestId('peer-left').waitFor({ timeout: 15_000 })
    const thawedAt = await session

    const decodedAt = await decodingAgain(sleeps, 30_000)
    await Promise.all([
      waitForStatus(sleeps, 'connected', 30_000),
      waitForStatus(stays, 'connected', 30_000),
    ])
    await decodingAgain(stays, 10_000)
    console.log(
      `[sleep] joined afresh: network back → frames decoding again ${decodedAt - thawedAt} ms ` +
        `(said ${await saidAfter(sleeps, thawedAt)})`,
    )
  })
})
