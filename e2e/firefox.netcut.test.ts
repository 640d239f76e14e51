import { afterEach, describe, expect, it } from 'vitest'
import {
  canCutNetwork,
  cutPeerTraffic,
  healPeerTraffic,
} from '../packages/core/test/support/network'
import { waitForStatus } from './browser'
import { clickButton } from './controls'
import {
  type Engine,
  expectMediaFlowing,
  joinAndWait,
  openRoom,
  roomUrl,
  type Tab,
  useInteropStage,
} from './interop'

// An ICE restart across engines: nftables drops the peers' traffic (the page and signaling
// server stay reachable, and so does Firefox's WebDriver BiDi port), both tabs notice, the
// traffic comes back, and the same connections carry the call again after an ICE restart.

/**
 * How many connections a tab ever made, and of each open one its signaling state and the local
 * ICE username fragment in force (the current description, not an offer still waiting).
 */
const iceSessions = (tab: Tab) =>
  tab.evaluate(() => {
    const { __pcs: pcs } = window as unknown as { __pcs: RTCPeerConnection[] }
    const open = pcs.filter((pc) => pc.signalingState !== 'closed')
    return {
      made: pcs.length,
      states: open.map((pc) => pc.signalingState),
      ufrags: open.map(
        (pc) => /a=ice-ufrag:(\S+)/.exec(pc.currentLocalDescription?.sdp ?? '')?.[1] ?? null,
      ),
    }
  })

/** Long enough for an ICE restart's offer and answer to cross the (uncut) signaling. */
const RESTART_NEGOTIATED_MS = 3_000

describe.runIf(canCutNetwork)('Firefox ↔ Chromium over a really broken network', () => {
  const stage = useInteropStage()

  afterEach(() => healPeerTraffic())

  for (const [first, second] of [
    ['chromium', 'firefox'],
    ['firefox', 'chromium'],
  ] as [Engine, Engine][]) {
    it(`should restart ICE and carry media again on the same connections (${first} waits, ${second} joins)`, async () => {
      const tabs = {} as Record<Engine, Tab>
      tabs[first] = await stage.open(first, first)
      tabs[second] = await stage.open(second, second)
      try {
        const url = roomUrl(stage.server, `cut${first}`, first === 'firefox' ? 'vue' : 'svelte')
        await openRoom(tabs[first], url)
        await joinAndWait(tabs[first])
        await openRoom(tabs[second], url)
        await clickButton(tabs[second], 'Join')
        await Promise.all([
          waitForStatus(tabs.firefox, 'connected'),
          waitForStatus(tabs.chromium, 'connected'),
        ])
        await Promise.all([expectMediaFlowing(tabs.firefox), expectMediaFlowing(tabs.chromium)])
        const before = await Promise.all([iceSessions(tabs.firefox), iceSessions(tabs.chromium)])

        cutPeerTraffic(Number(new URL(stage.server.url).port), stage.firefoxControlPort())
        const cutAt = Date.now()
        // Healed a few seconds after one side noticed (the engines notice at different times),
        // once that side's first ICE restart is negotiated: a network that returns in the very
        // moment of a restart is the race noted in the core README, not what this test is about.
        const noticed = await Promise.any(
          (['firefox', 'chromium'] as const).map(async (engine) => {
            await waitForStatus(tabs[engine], 'reconnecting', 30_000)
            return engine
          }),
        )
        console.log(`[interop] cut → ${noticed} reconnecting: ${Date.now() - cutAt} ms`)
        await new Promise((resolve) => setTimeout(resolve, RESTART_NEGOTIATED_MS))
        healPeerTraffic()
        await Promise.all([
          waitForStatus(tabs.firefox, 'connected', 30_000),
          waitForStatus(tabs.chromium, 'connected', 30_000),
        ])
        await Promise.all([expectMediaFlowing(tabs.firefox), expectMediaFlowing(tabs.chromium)])

        const settled = async () =>
          (await Promise.all([iceSessions(tabs.firefox), iceSessions(tabs.chromium)]))
            .flatMap(({ states }) => states)
            .every((state) => state === 'stable')
        await expect.poll(settled, { timeout: 10_000 }).toBe(true)
        const after = await Promise.all([iceSessions(tabs.firefox), iceSessions(tabs.chromium)])
        // The same connections (none made since), each with fresh ICE credentials in force: an
        // ICE restart whose answer was refused would leave an offer waiting (Firefox's answer
        // once asked Chromium to switch DTLS roles) while media limped on over the old path.
        expect(after.map(({ made }) => made)).toEqual(before.map(({ made }) => made))
        after.forEach(({ states, ufrags }, side) => {
          expect(states.every((state) => state === 'stable')).toBe(true)
          expect(ufrags.length).toBeGreaterThan(0)
          expect(ufrags).not.toContain(null)
          for (const ufrag of ufrags) expect(before[side]?.ufrags).not.toContain(ufrag)
        })
      } finally {
        await Promise.all(Object.values(tabs).map((tab) => tab.close()))
      }
    })
  }
})
