import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

/** Debian's Chromium: nothing here ever downloads a browser. */
const CHROMIUM = '/usr/bin/chromium'

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A fake camera/mic (test pattern) with permission granted, so getUserMedia just works.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // In the loopback-only namespace 127.0.0.1 is the only candidate; Chromium skips it otherwise.
  '--allow-loopback-in-peer-connection',
]

/** Launches Chromium for WebRTC tests. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

/** One status change of the page, with a wall-clock time comparable across tabs. */
export interface StatusEntry {
  status: string
  at: number
}

interface ProbeWindow {
  __pcs: RTCPeerConnection[]
  __statusLog: StatusEntry[]
  __joinClickedAt?: number
}

/**
 * Runs in every page before its own scripts. Test-only probes live here, not in the library
 * or the demo: every RTCPeerConnection (for getStats), each status change and the Join click.
 */
function instrument(): void {
  const probe = window as unknown as ProbeWindow
  const now = () => performance.timeOrigin + performance.now()
  probe.__pcs = []
  probe.__statusLog = []
  const Native = window.RTCPeerConnection
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args)
      probe.__pcs.push(this)
    }
  }
  let last: string | undefined
  new MutationObserver(() => {
    const status = document.querySelector('[data-testid="call-status"]')?.textContent?.trim()
    if (status && status !== last) {
      last = status
      probe.__statusLog.push({ status, at: now() })
    }
  }).observe(document, { subtree: true, childList: true, characterData: true })
  document.addEventListener(
    'click',
    (event) => {
      const button = (event.target as Element | null)?.closest?.('button')
      if (button?.textContent?.trim() === 'Join') probe.__joinClickedAt = now()
    },
    true,
  )
}

/** Opens an instrumented tab; its console errors (all messages with E2E_DEBUG=1) go to the test output. */
export async function openTab(context: BrowserContext, name: string): Promise<Page> {
  await context.addInitScript(instrument)
  const page = await context.newPage()
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: e2e runs through vitest, never through turbo
  const verbose = Boolean(process.env.E2E_DEBUG)
  page.on('console', (message) => {
    if (verbose || message.type() === 'error')
      console.log(`[${name}] ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => console.log(`[${name}] pageerror: ${error.stack ?? error}`))
  return page
}

/** The text of the status element. */
export function statusOf(page: Page): Promise<string | null> {
  return page.evaluate(
    () => document.querySelector('[data-testid="call-status"]')?.textContent?.trim() ?? null,
  )
}

/** Waits for a status; on timeout says which status and error the page showed instead. */
export async function waitForStatus(page: Page, status: string, timeout = 15_000): Promise<void> {
  try {
    await page.waitForFunction(
      (expected) =>
        document.querySelector('[data-testid="call-status"]')?.textContent?.trim() === expected,
      status,
      { timeout },
    )
  } catch {
    const error = await page.evaluate(
      () => document.querySelector('[data-testid="call-error"]')?.textContent?.trim() ?? 'none',
    )
    throw new Error(
      `${page.url()}: status is "${await statusOf(page)}", expected "${status}" (error: ${error})`,
    )
  }
}

/** Width of the decoded video in the element with this test id (0 until a frame arrived). */
export function videoWidth(page: Page, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const host = document.querySelector(`[data-testid="${id}"]`)
    const video = host instanceof HTMLVideoElement ? host : host?.querySelector('video')
    return video?.videoWidth ?? 0
  }, testId)
}

/** Frames decoded so far over every inbound video stream of the page's peer connections. */
export function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let total = 0
    for (const pc of (window as unknown as ProbeWindow).__pcs) {
      if (pc.connectionState === 'closed') continue
      for (const report of (await pc.getStats()).values()) {
        if (report.type === 'inbound-rtp' && report.kind === 'video') {
          total += report.framesDecoded ?? 0
        }
      }
    }
    return total
  })
}

/** The page's status log and Join click time. */
export function timeline(page: Page): Promise<{ joinAt?: number; log: StatusEntry[] }> {
  return page.evaluate(() => {
    const probe = window as unknown as ProbeWindow
    return { joinAt: probe.__joinClickedAt, log: probe.__statusLog }
  })
}
