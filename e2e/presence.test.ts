import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { localDescriptions, openTab, waitForStatus } from './browser'
import { useStage } from './stage'

// What the person who stays sees when the other one goes: hangs up, closes the tab, has the tab
// crash, or loses the connection for a moment. Times are logged, not asserted (speed is bench's);
// what is asserted is what the page says: a leave, an away banner, a return.

// Short, so a crashed peer's place is freed within the test; the demo's default is 30 s.
const RESUME_WINDOW_MS = 4000

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })

/** Waits for an element with this test id and returns its text. */
async function textOf(page: Page, testId: string, timeout = 10_000): Promise<string> {
  const element = page.getByTestId(testId)
  await element.waitFor({ timeout })
  return (await element.textContent())?.trim() ?? ''
}

interface PresenceProbe {
  __presence: { awayAt?: number; backAt?: number; leftAt?: number; videoGoneAt?: number }
}

/** Records in the page when the away banner comes and goes, the leave notice shows, and the remote video goes. */
function watchPresence(page: Page): Promise<void> {
  return page.evaluate(() => {
    const probe = window as unknown as PresenceProbe
    probe.__presence = {}
    const seen = probe.__presence
    const now = () => performance.timeOrigin + performance.now()
    const has = (id: string) => document.querySelector(`[data-testid="${id}"]`) !== null
    new MutationObserver(() => {
      if (seen.awayAt === undefined && has('peer-away')) seen.awayAt = now()
      if (seen.awayAt !== undefined && seen.backAt === undefined && !has('peer-away')) {
        seen.backAt = now()
      }
      if (seen.leftAt === undefined && has('peer-left')) seen.leftAt = now()
      if (seen.videoGoneAt === undefined && !has('remote-video')) seen.videoGoneAt = now()
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

const presenceOf = (page: Page) =>
  page.evaluate(() => (window as unknown as PresenceProbe).__presence)

/** Every WebSocket the page opens, so a test can drop the signaling connection under it. */
function keepSockets(): void {
  const Native = window.WebSocket
  const sockets: WebSocket[] = []
  ;(window as unknown as { __sockets: WebSocket[] }).__sockets = sockets
  window.WebSocket = class extends Native {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      sockets.push(this)
    }
  }
}

describe.each(['vue', 'svelte'] as const)('presence of the other person in the %s demo', (ui) => {
  const stage = useStage({ signaling: { resumeWindowMs: RESUME_WINDOW_MS } })

  /** Two tabs in a call in their own contexts; the second one keeps its sockets reachable. */
  async function pair(
    room: string,
  ): Promise<{ stays: Page; goes: Page; goesContext: BrowserContext }> {
    const stays = await openTab(await stage.newContext(), 'stays')
    const goesContext = await stage.newContext()
    await goesContext.addInitScript(keepSockets)
    const goes = await openTab(goesContext, 'goes')
    for (const page of [stays, goes]) {
      await page.goto(`${stage.server.url}/room/${room}-${ui}?ui=${ui}`)
      await button(page, 'Join').click()
    }
    await Promise.all([waitForStatus(stays, 'connected'), waitForStatus(goes, 'connected')])
    await stays.getByTestId('remote-video').waitFor()
    await watchPresence(stays)
    return { stays, goes, goesContext }
  }

  // Hanging up and closing the tab are the same to the one who stays: a leave, never an away.
  it.each([
    { way: 'hang up', go: (goes: Page) => button(goes, 'Hang up').click() },
    // Without beforeunload prompts, as a user closing the tab; pagehide still fires.
    { way: 'close tab', go: (goes: Page) => goes.close({ runBeforeUnload: false }) },
  ])(
    'should say the other person left at once when they $way, without showing them away',
    async ({ way, go }) => {
      const { stays, goes } = await pair(`presence-${way.replace(' ', '-')}`)
      const before = Date.now()
      await go(goes)
      expect(await textOf(stays, 'peer-left')).toBe('The other person left')
      const seen = await presenceOf(stays)
      console.log(
        `${way}: leave seen after ${Math.round((seen.leftAt ?? 0) - before)} ms, remote video gone after ${Math.round((seen.videoGoneAt ?? 0) - before)} ms`,
      )
      expect(seen.awayAt).toBeUndefined()
      await waitForStatus(stays, 'ready')
    },
  )

  it('should show a crashed tab as away with a countdown, then say it did not come back once the window passed', async () => {
    const { stays, goes } = await pair('presence-crash')
    const session = await goes.context().newCDPSession(goes)
    const before = Date.now()
    // The renderer dies at once: no pagehide, no leave; only the socket closing tells the server.
    session.send('Page.crash').catch(() => {})
    expect(await textOf(stays, 'peer-away')).toMatch(
      /^The other person's connection dropped, waiting for them… \(\d+ s\)$/,
    )
    // The frozen picture stays under the banner while the place is held.
    expect(await stays.getByTestId('remote-video').isVisible()).toBe(true)
    expect(await textOf(stays, 'peer-left', RESUME_WINDOW_MS + 10_000)).toBe(
      'The other person did not come back',
    )
    expect(await stays.getByTestId('peer-away').isVisible()).toBe(false)
    const seen = await presenceOf(stays)
    console.log(
      `crash: away seen after ${Math.round((seen.awayAt ?? 0) - before)} ms, removed after ${Math.round((seen.leftAt ?? 0) - before)} ms (resume window ${RESUME_WINDOW_MS} ms), remote video gone after ${Math.round((seen.videoGoneAt ?? 0) - before)} ms`,
    )
    await waitForStatus(stays, 'ready')
  })

  it('should show the other person present again when their connection comes back, on the same peer connection', async () => {
    const { stays, goes } = await pair('presence-back')
    const offersBefore = [await localDescriptions(stays), await localDescriptions(goes)]
    const before = Date.now()
    // The signaling connection drops under the page (as a network change does); the media
    // between the two goes on, and Socket.io reconnects and resumes the same peer.
    await goes.evaluate(() => {
      for (const socket of (window as unknown as { __sockets: WebSocket[] }).__sockets) {
        socket.close()
      }
    })
    await stays.getByTestId('peer-away').waitFor()
    await stays.getByTestId('peer-away').waitFor({ state: 'hidden', timeout: RESUME_WINDOW_MS })
    const seen = await presenceOf(stays)
    console.log(
      `socket drop: away seen after ${Math.round((seen.awayAt ?? 0) - before)} ms, back after ${Math.round((seen.backAt ?? 0) - before)} ms`,
    )
    expect(seen.leftAt).toBeUndefined()
    expect(seen.videoGoneAt).toBeUndefined()
    await waitForStatus(stays, 'connected')
    // The same RTCPeerConnection on both sides: nothing was negotiated again.
    expect([await localDescriptions(stays), await localDescriptions(goes)]).toEqual(offersBefore)
  })
})
