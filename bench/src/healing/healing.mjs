// Self-healing (#17): two pages of Duet (the call set-up's core page, default healing options)
// in a call; nftables drops every packet between them but signaling for a while, then lets
// them through again. The figure is the time from the network's return to both pages decoding
// new frames, per cut length, over several cuts of one call, as a phone going through tunnels.
// No anchor: PeerJS and simple-peer leave a call that ICE gave up on for the app to redo.
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_PATH as CHROMIUM, CHROMIUM_ARGS } from '../../../scripts/lib/chromium.mjs'
import { canCutNetwork, cutPeerTraffic, healPeerTraffic } from '../../../scripts/lib/netcut.mjs'
import { bundlePages } from '../callSetup/callSetup.mjs'
import { instrument } from '../callSetup/probe.mjs'
import { startChild } from '../lib/proc.mjs'
import { summarize } from '../lib/stats.mjs'

const CALL_TIMEOUT_MS = 15_000
/** How long both pages may take to decode again once the network is back, before it counts as lost. */
const HEAL_TIMEOUT_MS = 45_000
const POLL_MS = 50

/** Cut lengths (s), each as many times; the cuts run one after the other on the same call. */
export function healingPlan(quick) {
  return quick
    ? [{ seconds: 3, cuts: 1 }]
    : [
        { seconds: 8, cuts: 5 },
        { seconds: 30, cuts: 2 },
      ]
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const framesOf = (page) => page.evaluate(() => window.__bench.framesDecoded())

/** Resolves with the time (ms since `since`) when the page decoded a frame after `baseline`. */
async function decodingAgain(page, baseline, since) {
  const deadline = Date.now() + HEAL_TIMEOUT_MS
  while (Date.now() < deadline) {
    if ((await framesOf(page)) > baseline) return Date.now() - since
    await sleep(POLL_MS)
  }
  return null
}

/** The healing part of the bench; `log` prints progress lines. Null when it cannot cut. */
export async function runHealing({ quick, log, cacheDir }) {
  if (!canCutNetwork()) {
    log('  skipped: cutting the network needs root inside the loopback-only namespace')
    return null
  }
  const pagesDir = join(cacheDir, 'pages')
  await bundlePages(pagesDir)
  const server = startChild({
    name: 'call servers',
    script: join(import.meta.dirname, '..', 'callSetup', 'callServer.mjs'),
    args: [pagesDir],
    readyPattern: /\{.*\}/,
  })
  const ports = JSON.parse((await server.ready)[0])
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const contexts = [await browser.newContext(), await browser.newContext()]
  try {
    for (const context of contexts) await context.addInitScript(instrument)
    const pages = await Promise.all(contexts.map((context) => context.newPage()))
    const room = `heal-${Date.now().toString(36)}`
    const url = (role) =>
      `http://127.0.0.1:${ports.duet}/duet.html?room=${room}&role=${role}&join=auto`
    const until = (page, names) =>
      page
        .evaluate((wanted) => window.__bench.until(wanted), names)
        .then((error) => {
          if (error) throw new Error(`healing: ${error}`)
        })
    await pages[0].goto(url('a'))
    await until(pages[0], ['joinAck'])
    await pages[1].goto(url('b'))
    await Promise.race([
      Promise.all(pages.map((page) => until(page, ['pc:connected', 'firstFrame']))),
      sleep(CALL_TIMEOUT_MS).then(() => {
        throw new Error(`healing: no call after ${CALL_TIMEOUT_MS} ms`)
      }),
    ])
    await sleep(1000)

    const results = []
    for (const { seconds, cuts } of healingPlan(quick)) {
      const healed = []
      let lost = 0
      for (let cut = 0; cut < cuts; cut++) {
        cutPeerTraffic(ports.duet)
        await sleep(seconds * 1000)
        const baselines = await Promise.all(pages.map(framesOf))
        const saying = await Promise.all(
          pages.map((page) => page.evaluate(() => window.__bench.statuses.at(-1))),
        )
        healPeerTraffic()
        const healedAt = Date.now()
        const times = await Promise.all(
          pages.map((page, i) => decodingAgain(page, baselines[i], healedAt)),
        )
        const both = times.includes(null) ? null : Math.max(...times)
        if (both === null) lost += 1
        else healed.push(both)
        log(
          `  ${seconds} s cut ${cut + 1}/${cuts}: said ${saying.join(', ')} as the network came ` +
            `back; frames again after ${times.map((t) => (t === null ? 'never' : `${t} ms`)).join(', ')}`,
        )
        // The next cut starts from a call that is up again, as a person would see it.
        await sleep(2000)
      }
      const summary = summarize(healed)
      results.push({ seconds, cuts, lost, p50: summary.p50, max: summary.max })
    }
    const statuses = await Promise.all(
      pages.map((page) => page.evaluate(() => window.__bench.statuses)),
    )
    return { cuts: results, saidFailed: statuses.some((list) => list.includes('failed')) }
  } finally {
    healPeerTraffic()
    await browser.close()
    await server.stop()
  }
}
