import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liveCaptureTracks, localDescriptions, sentTrack, waitForStatus } from './browser'
import { clickButton, waitForButton } from './controls'
import {
  cameraLabels,
  chatLog,
  type Engine,
  expectDecoding,
  expectMediaFlowing,
  joinAndWait,
  logJoinToConnected,
  openRoom,
  pickCamera,
  pickGeneratedFile,
  receivedFileHash,
  roomUrl,
  sendChat,
  type Tab,
  useInteropStage,
} from './interop'

// Firefox ESR ↔ Chromium through the demo, in both join orders and both bindings (#14).
// Needs the built demo and, as root, the loopback-only namespace: see e2e/README.md.

const FILE_BYTES = 20 * 1024 * 1024
const GLARE_ROUNDS = 10
// Generous: two browsers share two cores with whatever else runs.
const patiently = { timeout: 15_000 }

const orders: { first: Engine; second: Engine }[] = [
  { first: 'firefox', second: 'chromium' },
  { first: 'chromium', second: 'firefox' },
]
const name = (engine: Engine) => (engine === 'firefox' ? 'Firefox' : 'Chromium')

describe('Firefox ↔ Chromium calls', () => {
  const stage = useInteropStage()

  for (const ui of ['vue', 'svelte'] as const) {
    for (const { first, second } of orders) {
      describe(`${ui} UI: ${name(first)} waits, ${name(second)} joins`, () => {
        const tabs = {} as Record<Engine, Tab>
        const other = (engine: Engine): Engine => (engine === 'firefox' ? 'chromium' : 'firefox')

        beforeAll(async () => {
          tabs[first] = await stage.open(first, `${first}/${ui}`)
          tabs[second] = await stage.open(second, `${second}/${ui}`)
        })
        // A call left running would take the CPU the next block's call needs.
        afterAll(() => Promise.all(Object.values(tabs).map((tab) => tab.close())))

        it('should connect, and each side should decode the other’s video and hear its audio', async () => {
          const url = roomUrl(stage.server, `ff${ui}${first}`, ui)
          await openRoom(tabs[first], url)
          await joinAndWait(tabs[first])
          await openRoom(tabs[second], url)
          await clickButton(tabs[second], 'Join')
          await Promise.all([
            waitForStatus(tabs[first], 'connected'),
            waitForStatus(tabs[second], 'connected'),
          ])
          await logJoinToConnected(
            `${name(second)} joins ${name(first)} (${ui})`,
            tabs[first],
            tabs[second],
          )
          await Promise.all([expectMediaFlowing(tabs.firefox), expectMediaFlowing(tabs.chromium)])
        })

        it('should carry a chat message each way', async () => {
          for (const from of [first, second]) {
            const text = `hello from ${name(from)} (${ui})`
            await sendChat(tabs[from], text)
            await expect.poll(() => chatLog(tabs[other(from)]), patiently).toContain(text)
          }
        })

        it('should send a 20 MB file each way, arriving with the same SHA-256', async () => {
          for (const from of [first, second]) {
            const fileName = `from-${from}-${ui}.bin`
            const sent = await pickGeneratedFile(tabs[from], fileName, FILE_BYTES)
            expect(await receivedFileHash(tabs[other(from)], fileName, 240_000)).toBe(sent)
          }
        }, 600_000)

        it('should mute, turn the camera off and on, and switch cameras without renegotiating', async () => {
          const offers = async () =>
            Promise.all([localDescriptions(tabs.firefox), localDescriptions(tabs.chromium)])
          const before = await offers()
          for (const engine of [first, second]) {
            const tab = tabs[engine]
            await clickButton(tab, 'Mute microphone')
            await waitForButton(tab, 'Unmute microphone')
            expect((await sentTrack(tab, 'audio'))?.enabled).toBe(false)
            await clickButton(tab, 'Unmute microphone')
            await waitForButton(tab, 'Mute microphone')
            expect((await sentTrack(tab, 'audio'))?.enabled).toBe(true)

            await clickButton(tab, 'Turn camera off')
            await waitForButton(tab, 'Turn camera on')
            await expect.poll(() => sentTrack(tab, 'video'), patiently).toBeNull()
            expect(await liveCaptureTracks(tab, 'video')).toEqual([])
            await clickButton(tab, 'Turn camera on')
            await waitForButton(tab, 'Turn camera off')
            await expect
              .poll(async () => (await sentTrack(tab, 'video'))?.readyState, patiently)
              .toBe('live')
            await expectDecoding(tabs[other(engine)])
          }

          // Chromium has three fake cameras (fake_device_2 is one VP8 can encode); Firefox's
          // fake backend offers one, so it switches only when it lists another.
          for (const engine of [first, second]) {
            const tab = tabs[engine]
            const current = (await sentTrack(tab, 'video'))?.label
            const target = (await cameraLabels(tab)).find(
              (label) => label !== current && (engine === 'firefox' || label === 'fake_device_2'),
            )
            if (!target) continue
            await pickCamera(tab, target)
            await expect
              .poll(async () => (await sentTrack(tab, 'video'))?.label, patiently)
              .toBe(target)
            await expectDecoding(tabs[other(engine)])
          }
          expect(await offers()).toEqual(before)
        })

        it('should connect again when the one who waited hangs up and rejoins', async () => {
          await clickButton(tabs[first], 'Hang up')
          await Promise.all([
            waitForStatus(tabs[first], 'ended'),
            waitForStatus(tabs[second], 'ready'),
          ])
          await clickButton(tabs[first], 'Rejoin')
          await Promise.all([
            waitForStatus(tabs[first], 'connected'),
            waitForStatus(tabs[second], 'connected'),
          ])
          await Promise.all([expectMediaFlowing(tabs.firefox), expectMediaFlowing(tabs.chromium)])
        })
      })
    }
  }

  describe('both press Join at the same instant', () => {
    const tabs = {} as Record<Engine, Tab>
    beforeAll(async () => {
      tabs.firefox = await stage.open('firefox', 'firefox/glare')
      tabs.chromium = await stage.open('chromium', 'chromium/glare')
    })
    afterAll(() => Promise.all(Object.values(tabs).map((tab) => tab.close())))

    it(`should connect in each of ${GLARE_ROUNDS} rounds`, async () => {
      for (let round = 0; round < GLARE_ROUNDS; round++) {
        // Alternating bindings: Firefox on Vue against Chromium on Svelte, then the reverse.
        const firefoxUi = round % 2 === 0 ? 'vue' : 'svelte'
        const chromiumUi = round % 2 === 0 ? 'svelte' : 'vue'
        await Promise.all([
          openRoom(tabs.firefox, roomUrl(stage.server, `glare${round}`, firefoxUi)),
          openRoom(tabs.chromium, roomUrl(stage.server, `glare${round}`, chromiumUi)),
        ])
        await Promise.all([clickButton(tabs.firefox, 'Join'), clickButton(tabs.chromium, 'Join')])
        await Promise.all([
          waitForStatus(tabs.firefox, 'connected'),
          waitForStatus(tabs.chromium, 'connected'),
        ])
        await Promise.all([expectDecoding(tabs.firefox), expectDecoding(tabs.chromium)])
      }
    }, 600_000)
  })
})
