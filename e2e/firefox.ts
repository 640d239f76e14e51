import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { type Evaluates, instrument } from './browser'

/** Debian's Firefox ESR: nothing here ever downloads a browser. */
export const FIREFOX_PATH = '/usr/bin/firefox-esr'

// Fake camera and mic with permission granted; in the loopback-only namespace Firefox gathers
// 127.0.0.1 only with `ice.loopback`, and gathers nothing at all unless the permission is a fake
// one too (a real grant is what unlocks host candidates).
const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.navigator.permission.fake': true,
  'media.peerconnection.ice.loopback': true,
  // Autoplay of the remote video, as a person's click would allow.
  'media.autoplay.default': 0,
}

/** Launches headless Firefox ESR over WebDriver BiDi for WebRTC tests. */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
  })
}

/** A Firefox tab with the probes of e2e/browser.ts, in a context of its own (separate storage). */
export interface FirefoxTab extends Evaluates {
  readonly page: Page
  goto(url: string): Promise<void>
  url(): string
  /** Closes the tab and its context. */
  close(): Promise<void>
}

/** Opens an instrumented Firefox tab; its console errors (all with E2E_DEBUG=1) go to the test output. */
export async function openFirefoxTab(browser: Browser, name: string): Promise<FirefoxTab> {
  const context = await browser.createBrowserContext()
  const page = await context.newPage()
  await page.evaluateOnNewDocument(instrument)
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: e2e runs through vitest, never through turbo
  const verbose = Boolean(process.env.E2E_DEBUG)
  page.on('console', (message) => {
    if (verbose || message.type() === 'error')
      console.log(`[${name}] ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => console.log(`[${name}] pageerror: ${error}`))
  return {
    page,
    // Arguments cross as JSON either way; Puppeteer's types also model handles, which we never pass.
    evaluate: <R, A>(fn: (arg?: A) => R | Promise<R>, arg?: A) =>
      page.evaluate(fn as (arg: unknown) => R, arg) as Promise<R>,
    goto: async (url) => {
      await page.goto(url)
    },
    url: () => page.url(),
    close: () => context.close(),
  }
}
