import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/lib/chromium.mjs'

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /**
   * Fake cameras to expose (Chromium's fake capture takes a `device-count`), for device switching.
   * @default 1
   */
  cameras?: number
  /**
   * Chromium's autoplay policy; `document-user-activation-required` refuses audible playback
   * until the user interacted with the page, as Safari and iOS do.
   * @default Chromium's own
   */
  autoplayPolicy?: 'no-user-gesture-required' | 'document-user-activation-required'
  /** A Y4M file the fake camera plays in a loop instead of its test pattern. */
  fakeVideoFile?: string
}

/** Launches Chromium for WebRTC tests. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const cameras = options.cameras ?? 1
  const args = CHROMIUM_ARGS.map((arg) =>
    arg === '--use-fake-device-for-media-stream' && cameras > 1
      ? `${arg}=device-count=${cameras}`
      : arg,
  )
  if (options.autoplayPolicy) args.push(`--autoplay-policy=${options.autoplayPolicy}`)
  if (options.fakeVideoFile) args.push(`--use-file-for-fake-video-capture=${options.fakeVideoFile}`)
  return chromium.launch({ executablePath: CHROMIUM_PATH, args })
}

/**
 * What the probes need of a tab: Playwright's `Page` has it as is, a Puppeteer page through
 * `firefoxTab` (e2e/firefox.ts), so one probe serves both engines.
 */
export interface Evaluates {
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>
}

/** One status change of the page, with a wall-clock time comparable across tabs. */
export interface StatusEntry {
  status: string
  at: number
}

interface ProbeWindow {
  __pcs: RTCPeerConnection[]
  /** Every track getUserMedia or getDisplayMedia ever handed out. */
  __tracks: MediaStreamTrack[]
  /** Tracks from getDisplayMedia only. */
  __displayTracks: MediaStreamTrack[]
  /** setLocalDescription calls over every connection: one per offer or answer made. */
  __localDescriptions: number
  __statusLog: StatusEntry[]
  __joinClickedAt?: number
}

/**
 * Runs in every page before its own scripts. Test-only probes live here, not in the library
 * or the demo: every RTCPeerConnection (for getStats) and its local descriptions, every captured
 * track, each status change and the Join click.
 */
export function instrument(): void {
  const probe = window as unknown as ProbeWindow
  const now = () => performance.timeOrigin + performance.now()
  probe.__pcs = []
  probe.__tracks = []
  probe.__displayTracks = []
  probe.__localDescriptions = 0
  probe.__statusLog = []
  const Native = window.RTCPeerConnection
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args)
      probe.__pcs.push(this)
    }
  }
  const setLocalDescription = Native.prototype.setLocalDescription
  Native.prototype.setLocalDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
    probe.__localDescriptions++
    return Reflect.apply(setLocalDescription, this, args)
  } as typeof setLocalDescription
  const devices = navigator.mediaDevices
  // Wrapped on the instance, so a test's own init script can still replace it afterwards.
  if (devices) {
    const getUserMedia = devices.getUserMedia.bind(devices)
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints)
      probe.__tracks.push(...stream.getTracks())
      return stream
    }
    const getDisplayMedia = devices.getDisplayMedia?.bind(devices)
    if (getDisplayMedia) {
      devices.getDisplayMedia = async (options) => {
        const stream = await getDisplayMedia(options)
        probe.__tracks.push(...stream.getTracks())
        probe.__displayTracks.push(...stream.getTracks())
        return stream
      }
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
export function statusOf(page: Evaluates): Promise<string | null> {
  return page.evaluate(
    () => document.querySelector('[data-testid="call-status"]')?.textContent?.trim() ?? null,
  )
}

/** Waits for a status; on timeout says which status and error the page showed instead. */
export async function waitForStatus(
  page: Evaluates,
  status: string,
  timeout = 15_000,
): Promise<void> {
  // Polled, not a waitForFunction: Puppeteer's over WebDriver BiDi and Playwright's differ.
  const deadline = Date.now() + timeout
  while ((await statusOf(page)) !== status) {
    if (Date.now() > deadline) {
      const { url, error } = await page.evaluate(() => ({
        url: location.href,
        error: document.querySelector('[data-testid="call-error"]')?.textContent?.trim() ?? 'none',
      }))
      throw new Error(
        `${url}: status is "${await statusOf(page)}", expected "${status}" (error: ${error})`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Width of the decoded video in the element with this test id (0 until a frame arrived). */
export function videoWidth(page: Evaluates, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const host = document.querySelector(`[data-testid="${id}"]`)
    const video = host instanceof HTMLVideoElement ? host : host?.querySelector('video')
    return video?.videoWidth ?? 0
  }, testId)
}

/** A counter summed over the inbound RTP streams of a kind on every open connection of the page. */
function inboundTotal(
  page: Evaluates,
  kind: 'audio' | 'video',
  counter: 'framesDecoded' | 'packetsReceived',
): Promise<number> {
  return page.evaluate(
    async ({ wanted, field }) => {
      let total = 0
      for (const pc of (window as unknown as ProbeWindow).__pcs) {
        if (pc.connectionState === 'closed') continue
        for (const report of (await pc.getStats()).values()) {
          if (report.type === 'inbound-rtp' && report.kind === wanted) total += report[field] ?? 0
        }
      }
      return total
    },
    { wanted: kind, field: counter },
  )
}

/** Frames decoded so far over every inbound video stream of the page's peer connections. */
export const framesDecoded = (page: Evaluates) => inboundTotal(page, 'video', 'framesDecoded')

/** Audio packets received so far over every inbound audio stream: rising means the other side is heard. */
export const audioPacketsReceived = (page: Evaluates) =>
  inboundTotal(page, 'audio', 'packetsReceived')

/** The page's status log and Join click time. */
export function timeline(page: Evaluates): Promise<{ joinAt?: number; log: StatusEntry[] }> {
  return page.evaluate(() => {
    const probe = window as unknown as ProbeWindow
    return { joinAt: probe.__joinClickedAt, log: probe.__statusLog }
  })
}

/** What a page still holds: captured tracks still live, connections not closed. */
export function leftovers(
  page: Evaluates,
): Promise<{ liveTracks: number; openConnections: number }> {
  return page.evaluate(() => {
    const probe = window as unknown as ProbeWindow
    return {
      liveTracks: probe.__tracks.filter((track) => track.readyState === 'live').length,
      openConnections: probe.__pcs.filter((pc) => pc.signalingState !== 'closed').length,
    }
  })
}

/** How many offers and answers the page made so far (renegotiations add to it). */
export function localDescriptions(page: Evaluates): Promise<number> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__localDescriptions)
}

/** The track a page's open connection sends for a kind, or null while it sends none. */
export interface SentTrack {
  id: string
  label: string
  enabled: boolean
  readyState: MediaStreamTrackState
  deviceId: string | undefined
}

/** The track the page's (first open) connection sends for `kind`. */
export function sentTrack(page: Evaluates, kind: 'audio' | 'video'): Promise<SentTrack | null> {
  return page.evaluate((wanted) => {
    const pc = (window as unknown as ProbeWindow).__pcs.find((p) => p.signalingState !== 'closed')
    if (!pc) throw new Error('no open RTCPeerConnection')
    // The receiver's track names the m-line's kind even while the sender has no track.
    const transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === wanted)
    const track = transceiver?.sender.track
    if (!track) return null
    const { id, label, enabled, readyState } = track
    return { id, label, enabled, readyState, deviceId: track.getSettings().deviceId }
  }, kind)
}

/** The capture tracks of a kind the page got from getUserMedia and has not stopped. */
export function liveCaptureTracks(
  page: Evaluates,
  kind: 'audio' | 'video',
): Promise<{ id: string; enabled: boolean }[]> {
  return page.evaluate((wanted) => {
    const probe = window as unknown as ProbeWindow
    return probe.__tracks
      .filter((t) => t.kind === wanted && t.readyState === 'live')
      .filter((t) => !probe.__displayTracks.includes(t))
      .map((t) => ({ id: t.id, enabled: t.enabled }))
  }, kind)
}

/**
 * What the browser's own "Stop sharing" button does: the screen track ends. `stop()` alone fires
 * no `ended` event (by spec it only fires when the source ends by itself), so it is dispatched too.
 */
export function endScreenShare(page: Evaluates): Promise<void> {
  return page.evaluate(() => {
    const track = (window as unknown as ProbeWindow).__displayTracks.at(-1)
    if (!track) throw new Error('no screen track')
    track.stop()
    track.dispatchEvent(new Event('ended'))
  })
}
