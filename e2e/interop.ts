import type { Browser as FirefoxBrowser } from 'puppeteer-core'
import { afterAll, beforeAll, expect } from 'vitest'
import type { DemoServer } from '../apps/demo/server/app'
import {
  audioPacketsReceived,
  type Evaluates,
  framesDecoded,
  openTab,
  type StatusEntry,
  timeline,
  videoWidth,
  waitForStatus,
} from './browser'
import { clickButton, until } from './controls'
import { launchFirefox, openFirefoxTab } from './firefox'
import { useStage } from './stage'

/** The two engines of the cross-browser tests. */
export type Engine = 'chromium' | 'firefox'

/** A tab of either engine: what the probes and controls need, plus navigation. */
export interface Tab extends Evaluates {
  goto(url: string): Promise<unknown>
  url(): string
  /** Closes the tab, ending any call in it. */
  close(): Promise<void>
}

/** What a describe block gets from {@link useInteropStage}. */
export interface InteropStage {
  readonly server: DemoServer
  /** A fresh tab of an engine, in a context of its own; closed with the stage. */
  open(engine: Engine, name: string): Promise<Tab>
  /** Firefox's WebDriver BiDi port: a network cut must spare it, or the test loses Firefox. */
  firefoxControlPort(): number
}

/**
 * The demo server, one Chromium (three fake cameras, to switch between) and one Firefox ESR for
 * a describe block, started before its tests and closed after them.
 */
export function useInteropStage(): InteropStage {
  const stage = useStage({ chromium: { cameras: 3 } })
  let firefox: FirefoxBrowser | undefined
  const launched = () => {
    if (!firefox) throw new Error('Firefox is only up from beforeAll on')
    return firefox
  }

  beforeAll(async () => {
    firefox = await launchFirefox()
  })

  afterAll(async () => {
    await firefox?.close()
  })

  return {
    get server() {
      return stage.server
    },
    async open(engine, name) {
      if (engine === 'firefox') return openFirefoxTab(launched(), name)
      return openTab(await stage.newContext(), name)
    },
    firefoxControlPort() {
      return Number(new URL(launched().wsEndpoint()).port)
    },
  }
}

/** A room of the demo rendered by one binding. */
export const roomUrl = (server: DemoServer, roomId: string, ui: 'vue' | 'svelte') =>
  `${server.url}/room/${roomId}?ui=${ui}`

/** Opens a room and waits until its Join button can be pressed (camera started). */
export async function openRoom(tab: Tab, url: string): Promise<void> {
  await tab.goto(url)
  await until(
    tab,
    () =>
      [...document.querySelectorAll('button')].some(
        (button) => button.textContent?.trim() === 'Join' && !button.disabled,
      ),
    '',
    `Join in ${url}`,
    20_000,
  )
}

/** Joins the room the tab shows and waits in it. */
export async function joinAndWait(tab: Tab): Promise<void> {
  await clickButton(tab, 'Join')
  await waitForStatus(tab, 'ready')
}

const firstAt = (log: StatusEntry[], status: string) => log.find((e) => e.status === status)?.at

/**
 * From the second tab's Join click to each tab's first `connected`, as a log line with a
 * prefix to grep for (`[interop]`): measured in the pages, never asserted.
 */
export async function logJoinToConnected(
  label: string,
  first: Tab,
  second: Tab,
): Promise<{ first: number; second: number }> {
  const [a, b] = await Promise.all([timeline(first), timeline(second)])
  const clickedAt = b.joinAt ?? Number.NaN
  const ms = (log: StatusEntry[]) => (firstAt(log, 'connected') ?? Number.NaN) - clickedAt
  const result = { first: ms(a.log), second: ms(b.log) }
  console.log(
    `[interop] ${label}: join → connected: first tab ${result.first.toFixed(0)} ms, ` +
      `second tab ${result.second.toFixed(0)} ms`,
  )
  return result
}

/** The other side's video is decoded (frames rising, a size known) and its audio arrives. */
export async function expectMediaFlowing(tab: Tab): Promise<void> {
  await expect.poll(() => videoWidth(tab, 'remote-video'), { timeout: 15_000 }).toBeGreaterThan(0)
  await expectDecoding(tab)
  const packets = await audioPacketsReceived(tab)
  await expect.poll(() => audioPacketsReceived(tab), { timeout: 15_000 }).toBeGreaterThan(packets)
}

/** Frames keep being decoded: the count rises within a few seconds. */
export async function expectDecoding(tab: Tab): Promise<void> {
  const before = await framesDecoded(tab)
  await expect.poll(() => framesDecoded(tab), { timeout: 15_000 }).toBeGreaterThan(before)
}

/** Types a chat message and sends it. */
export async function sendChat(tab: Tab, text: string): Promise<void> {
  await tab.evaluate((message) => {
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Message"]')
    if (!input) throw new Error('no Message field')
    input.value = message
    input.dispatchEvent(new Event('input', { bubbles: true }))
  }, text)
  await clickButton(tab, 'Send')
}

/** The chat log's text. */
export const chatLog = (tab: Tab) =>
  tab.evaluate(() => document.querySelector('[data-testid="chat-log"]')?.textContent ?? '')

/**
 * Picks a file of `bytes` pseudo-random bytes in the tab's "Send file" input, as a person's
 * file dialog would (the bytes never cross the test driver), and returns their SHA-256.
 */
export function pickGeneratedFile(tab: Tab, name: string, bytes: number): Promise<string> {
  return tab.evaluate(
    async ({ fileName, size }) => {
      const data = new Uint8Array(size)
      let seed = 0x9e3779b9
      for (let i = 0; i < size; i++) {
        seed ^= seed << 13
        seed ^= seed >>> 17
        seed ^= seed << 5
        data[i] = seed & 0xff
      }
      const input = document.querySelector<HTMLInputElement>('input[type="file"]')
      if (!input) throw new Error('no file input')
      const picked = new DataTransfer()
      picked.items.add(new File([data], fileName, { type: 'application/octet-stream' }))
      input.files = picked.files
      input.dispatchEvent(new Event('change', { bubbles: true }))
      const digest = await crypto.subtle.digest('SHA-256', data)
      return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
    },
    { fileName: name, size: bytes },
  )
}

/** Waits for a received file's download link and returns the SHA-256 of what it holds. */
export async function receivedFileHash(tab: Tab, name: string, timeout = 60_000): Promise<string> {
  await until(
    tab,
    (fileName) =>
      [...document.querySelectorAll('a[download]')].some(
        (link) => link.getAttribute('download') === fileName,
      ),
    name,
    `a download link for ${name}`,
    timeout,
  )
  return tab.evaluate(async (fileName) => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>('a[download]')].find(
      (candidate) => candidate.getAttribute('download') === fileName,
    )
    const body = await (await fetch(link?.href ?? '')).arrayBuffer()
    const digest = await crypto.subtle.digest('SHA-256', body)
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
  }, name)
}

/** The cameras the tab's picker offers, by label. */
export const cameraLabels = (tab: Tab) =>
  tab.evaluate(() => {
    const select = [...document.querySelectorAll('label')]
      .find((label) => label.textContent?.trim().startsWith('Camera'))
      ?.querySelector('select')
    return [...(select?.options ?? [])].map((option) => option.label)
  })

/** Picks a camera by label in the tab's Camera picker. */
export function pickCamera(tab: Tab, label: string): Promise<void> {
  return tab.evaluate((wanted) => {
    const select = [...document.querySelectorAll('label')]
      .find((candidate) => candidate.textContent?.trim().startsWith('Camera'))
      ?.querySelector('select')
    const option = [...(select?.options ?? [])].find((candidate) => candidate.label === wanted)
    if (!select || !option) throw new Error(`no camera "${wanted}"`)
    select.value = option.value
    select.dispatchEvent(new Event('change', { bubbles: true }))
  }, label)
}
