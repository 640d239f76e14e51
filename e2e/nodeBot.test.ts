import { createHash } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BotProcess, startBotProcess } from './botProcess'
import { framesDecoded, openTab, videoWidth, waitForStatus } from './browser'
import { useStage } from './stage'

// A Chromium tab of the demo and the example Node bot (examples/node-bot, @duet/core on
// @roamhq/wrtc) in one room. Needs the built demo and, as root, the loopback-only namespace:
// see e2e/README.md.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const chatLog = (page: Page) => page.getByTestId('chat-log').textContent()

/** A coarse fingerprint of what the remote video shows now: 16×9 grey levels. */
function remotePicture(page: Page): Promise<string> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')
    if (!video) throw new Error('no remote video')
    const canvas = document.createElement('canvas')
    canvas.width = 16
    canvas.height = 9
    const context = canvas.getContext('2d', { willReadFrequently: true })!
    context.drawImage(video, 0, 0, canvas.width, canvas.height)
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    const grey: number[] = []
    for (let i = 0; i < data.length; i += 4)
      grey.push((data[i]! + data[i + 1]! + data[i + 2]!) >> 6)
    return grey.join(',')
  })
}

describe('a Node bot joins a Chromium tab’s room', () => {
  const stage = useStage()
  let tab: Page
  let bot: BotProcess | undefined

  beforeAll(async () => {
    tab = await openTab(await stage.newContext(), 'tab')
  })

  afterAll(async () => {
    bot?.signal('SIGKILL')
    await bot?.exited
  })

  it('should join from the room URL and connect with the waiting tab', async () => {
    await tab.goto(`${stage.server.url}/`)
    await tab.waitForURL(/\/room\/[a-z0-9]{10}$/)
    await button(tab, 'Join').click()
    await waitForStatus(tab, 'ready')

    bot = startBotProcess([tab.url()])
    const connected = await bot.waitForLine(/status: connected/)
    await waitForStatus(tab, 'connected')
    console.log(`bot: ${connected.replace('[node-bot] ', '')}`)
  })

  it('should decode the bot’s moving test pattern in the tab', async () => {
    await expect.poll(() => videoWidth(tab, 'remote-video'), { timeout: 10_000 }).toBe(640)
    const before = await framesDecoded(tab)
    await expect.poll(() => framesDecoded(tab), { timeout: 10_000 }).toBeGreaterThan(before + 15)
    const size = await tab.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')
      return `${video?.videoWidth}×${video?.videoHeight}`
    })
    console.log(`the tab decoded ${await framesDecoded(tab)} frames of the bot's ${size} pattern`)
  })

  it('should show a moving picture, not a frozen one', async () => {
    const first = await remotePicture(tab)
    await expect.poll(() => remotePicture(tab), { timeout: 5_000 }).not.toBe(first)
  })

  it('should echo a chat message back to the tab', async () => {
    await tab.getByLabel('Message', { exact: true }).fill('hello, bot')
    await button(tab, 'Send').click()
    await expect.poll(() => chatLog(tab)).toContain('echo: hello, bot')
  })

  it('should answer a file from the tab with its SHA-256', async () => {
    // Over several chunks, with multi-byte characters: the hash covers the bytes, not the text.
    const buffer = Buffer.from(`to the bot ${'♪ '.repeat(40_000)}`)
    const sha256 = createHash('sha256').update(buffer).digest('hex')
    await tab
      .getByLabel('Send file')
      .setInputFiles({ name: 'song.txt', mimeType: 'text/plain', buffer })
    await expect
      .poll(() => chatLog(tab), { timeout: 15_000 })
      .toContain(`SHA-256 of song.txt (${buffer.byteLength} bytes): ${sha256}`)
  })

  it('should hang up on SIGTERM and exit with 0, leaving the tab waiting in the room', async () => {
    bot!.signal('SIGTERM')
    await expect(bot!.exited).resolves.toBe(0)
    expect(bot!.lines).toContain('[node-bot] bye')
    await waitForStatus(tab, 'ready')
  })
})

describe('a Chromium tab joins a Node bot waiting in its room', () => {
  const stage = useStage()
  let bot: BotProcess | undefined

  afterAll(async () => {
    bot?.signal('SIGKILL')
    await bot?.exited
  })

  it('should connect and decode the bot’s video, the bot answering the tab’s offer', async () => {
    const room = 'botfirst01'
    bot = startBotProcess(['--server', stage.server.url, '--room', room])
    await bot.waitForLine(/status: ready/)
    const tab = await openTab(await stage.newContext(), 'tab')
    await tab.goto(`${stage.server.url}/room/${room}?ui=svelte`)
    await button(tab, 'Join').click()
    await waitForStatus(tab, 'connected')
    await expect.poll(() => videoWidth(tab, 'remote-video'), { timeout: 10_000 }).toBe(640)
    const before = await framesDecoded(tab)
    await expect.poll(() => framesDecoded(tab), { timeout: 10_000 }).toBeGreaterThan(before)

    // One negotiation: the bot's silent audio track takes the audio m-line of the tab's offer.
    expect(bot.lines).not.toContain('[node-bot] status: offering')

    bot.signal('SIGINT')
    await expect(bot.exited).resolves.toBe(0)
    await waitForStatus(tab, 'ready')
  })
})

describe('the node-bot command', () => {
  it('should print its usage and exit with 2 when no room is given', async () => {
    const bot = startBotProcess(['--server', 'http://127.0.0.1:9'])
    await expect(bot.exited).resolves.toBe(2)
    expect(bot.lines).toContain('no room: pass --room, a room URL or DUET_ROOM')
    expect(bot.lines.join('\n')).toContain('Usage: node-bot [ROOM_URL]')
  })

  it('should say the server is unreachable and exit with 1', async () => {
    // Port 9 (discard) has no listener here: the connection is refused at once.
    const bot = startBotProcess(['http://127.0.0.1:9/room/nobody0000'])
    await expect(bot.exited).resolves.toBe(1)
    expect(bot.lines.join('\n')).toMatch(/call ended: signaling-unreachable/)
  })
})
