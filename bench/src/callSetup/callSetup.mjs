// Call set-up in Chromium, 1:1 with fake devices: from the second peer's join to both peers
// `connected` and to both showing a first decoded remote frame, for Duet and its anchors, run
// alternately (A B C A B C …) in one browser so they share the same conditions.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { CHROMIUM_PATH as CHROMIUM, CHROMIUM_ARGS } from '../../../scripts/lib/chromium.mjs'
import { startChild } from '../lib/proc.mjs'
import { summarize } from '../lib/stats.mjs'
import { REPO } from '../server/targets.mjs'
import { driveDemo } from './demoDriver.mjs'
import { oneGroupCall } from './groupCall.mjs'
import { instrument } from './probe.mjs'

const here = import.meta.dirname
const CALL_TIMEOUT_MS = 15_000
// DUET_BENCH_DEMO_SERVER measures another build of the demo (a before/after comparison).
const DEMO_SERVER =
  process.env.DUET_BENCH_DEMO_SERVER ?? join(REPO, 'apps/demo/dist-server/main.js')

/**
 * The targets. `page` is the bundle, `server` the origin that serves it (and its signaling),
 * `glare` makes both peers join at the same instant, `prototype` marks a Duet variant with an
 * option switched off, to size what that option brings (not an anchor), `peers` makes a group
 * call of that many tabs (see groupCall.mjs). `demo` is the demo app's room page in that UI,
 * served by the demo's own server and used as a person does (Join clicked as soon as it is
 * enabled, or `settleMs` after, once the preview settled).
 */
export const CALL_TARGETS = [
  { name: 'duet', label: 'Duet (@duet/core)', page: 'duet', server: 'duet' },
  {
    name: 'tutorial',
    label: 'Tutorial socket.io client',
    page: 'tutorial',
    server: 'tutorial',
    anchor: true,
  },
  { name: 'peerjs', label: 'PeerJS', page: 'peerjs', server: 'duet', anchor: true },
  {
    name: 'duetGlare',
    label: 'Duet, both join at once (glare)',
    page: 'duet',
    server: 'duet',
    glare: true,
  },
  ...[3, 4].map((peers) => ({
    name: `duetGroup${peers}`,
    label: `Duet, group of ${peers} (last join → every pair)`,
    page: 'duet',
    server: 'duet',
    peers,
  })),
  ...[
    ['demoVue', 'vue', 'Vue', 0],
    ['demoSvelte', 'svelte', 'Svelte', 0],
    ['demoVueSettled', 'vue', 'Vue', 1500],
    ['demoSvelteSettled', 'svelte', 'Svelte', 1500],
  ].map(([name, demo, ui, settleMs]) => ({
    name,
    label: `Demo, ${ui} room page${settleMs ? `, Join ${settleMs / 1000} s after it is enabled` : ''}`,
    server: 'demo',
    demo,
    settleMs,
  })),
  ...[
    ['duetCold', 'cold', 'no warm-up (warmUp: false)'],
    ['duetNoData', 'nodata', 'no data channels (dataChannel: false)'],
  ].map(([name, variant, what]) => ({
    name,
    label: `Duet, ${what}`,
    page: 'duet',
    server: 'duet',
    variant,
    prototype: true,
  })),
]

/** Bundles the pages (Duet from its TypeScript sources, as the tests use it). */
export async function bundlePages(outdir) {
  mkdirSync(outdir, { recursive: true })
  await build({
    entryPoints: ['duet', 'tutorial', 'peerjs'].map((name) => join(here, 'pages', `${name}.js`)),
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    conditions: ['@duet/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  })
}

// Phases shown in the timeline, in the order they usually happen.
export const PHASES = [
  'joinEnabled',
  'ready',
  'ws:start',
  'ws:open',
  'ws:join:out',
  'ws:join:in',
  'joinAck',
  'pcCreate:start',
  'pcCreate:done',
  'pcCreate:taskEnd',
  'negotiationneeded',
  'createOffer:start',
  'createOffer:done',
  'setLocalDescription:offer:done',
  'ws:offer:out',
  'ws:offer:in',
  'setRemoteDescription:offer:start',
  'setRemoteDescription:offer:done',
  'createAnswer:start',
  'createAnswer:done',
  'setLocalDescription:answer:done',
  'ws:answer:out',
  'ws:answer:in',
  'setRemoteDescription:answer:start',
  'setRemoteDescription:answer:done',
  'localCandidate',
  'ws:candidate:out',
  'ws:candidate:in',
  'addIceCandidate:start',
  'addIceCandidate:done',
  'ice:checking',
  'ice:connected',
  'dtls:connected',
  'pc:connected',
  'track',
  'appConnected',
  'firstFrame',
  'setupCalls:ms',
]

async function oneCall(browser, target, ports, index) {
  // One context (a window of its own) per person: as two tabs of one window, the first one sat
  // in the background and rendered about once a second, so the demo's first frame waited.
  const contexts = [await browser.newContext(), await browser.newContext()]
  try {
    for (const context of contexts) await context.addInitScript(instrument)
    const [a, b] = await Promise.all(contexts.map((context) => context.newPage()))
    const room = `${target.name}-${index}-${Date.now().toString(36)}`
    if (target.demo) {
      // The first person joins at once; the second one as the target says.
      for (const page of [a, b]) {
        await page.exposeBinding('__benchClick', (_, x, y) => page.mouse.click(x, y))
      }
      await a.addInitScript(driveDemo, { settleMs: 0 })
      await b.addInitScript(driveDemo, { settleMs: target.settleMs })
    }
    const url = (role, join) =>
      target.demo
        ? `http://127.0.0.1:${ports.demo}/room/${room}${target.demo === 'vue' ? '' : `?ui=${target.demo}`}`
        : `http://127.0.0.1:${ports[target.server]}/${target.page}.html?room=${room}&role=${role}` +
          `&join=${join}&peerPort=${ports.peerServer}${target.variant ? `&variant=${target.variant}` : ''}`
    const until = (page, names) =>
      page
        .evaluate((wanted) => window.__bench.until(wanted), names)
        .then((error) => {
          if (error) throw new Error(`${target.name}: ${error}`)
        })
    const timeout = new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`${target.name}: no call after ${CALL_TIMEOUT_MS} ms`)),
        CALL_TIMEOUT_MS,
      ),
    )
    const done = ['pc:connected', 'firstFrame']
    const call = (async () => {
      if (target.glare) {
        await Promise.all([a.goto(url('a', 'manual')), b.goto(url('b', 'manual'))])
        await Promise.all([until(a, ['ready']), until(b, ['ready'])])
        const at = Date.now() + 100
        await Promise.all([a, b].map((p) => p.evaluate((t) => window.__bench.scheduleJoin(t), at)))
      } else {
        // The first peer is in its room (and waiting) before the second one opens its page.
        await a.goto(url('a', 'auto'))
        await until(a, ['joinAck'])
        await b.goto(url('b', 'auto'))
      }
      await Promise.all([until(a, done), until(b, done)])
    })()
    call.catch(() => {})
    await Promise.race([call, timeout])
    const sides = await Promise.all(
      [a, b].map((p) =>
        p.evaluate(async () => ({
          origin: performance.timeOrigin,
          marks: window.__bench.marks,
          frames: await window.__bench.framesDecoded(),
        })),
      ),
    )
    return measure(target, sides)
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) }
  } finally {
    await Promise.all(contexts.map((context) => context.close()))
  }
}

const callOf = (target) => (target.peers ? oneGroupCall : oneCall)

/** Turns the two pages' marks into the call's figures, relative to the (last) join. */
function measure(target, [a, b]) {
  const t0 = target.glare ? Math.max(a.marks.join, b.marks.join) : b.marks.join
  const both = (name) => Math.max(a.marks[name], b.marks[name]) - t0
  // Durations (`…:ms`) stay as they are; times become relative to the join.
  const relative = (side) =>
    Object.fromEntries(
      Object.entries(side.marks).map(([name, at]) => [name, name.endsWith(':ms') ? at : at - t0]),
    )
  const fromOpen = (at) => (target.glare || at === undefined ? null : at - b.origin)
  return {
    ok: a.frames > 0 && b.frames > 0,
    connected: both('pc:connected'),
    firstFrame: both('firstFrame'),
    // The second peer's page: navigation start to the first frame of the other one, to both
    // sides decoding, and (the demo) to its Join button being enabled.
    pageToFrame: fromOpen(b.marks.firstFrame),
    pageToBothFrames: fromOpen(Math.max(a.marks.firstFrame, b.marks.firstFrame)),
    pageToJoinEnabled: fromOpen(b.marks.joinEnabled),
    phases: { a: relative(a), b: relative(b) },
  }
}

function medianPhases(runs, side) {
  const phases = {}
  for (const name of PHASES) {
    const values = runs.map((run) => run.phases[side][name]).filter((v) => v !== undefined)
    if (values.length > 0) phases[name] = summarize(values).p50
  }
  return phases
}

/** The whole call set-up part; `log` prints progress lines. */
export async function runCallSetup({
  quick,
  log,
  cacheDir,
  // A quick run keeps one variant, one settled demo and the smaller group, so their plumbing
  // cannot rot.
  targets = CALL_TARGETS.filter(
    (t) =>
      !quick ||
      (!(t.prototype || t.settleMs) && t.peers !== 4) ||
      ['duetCold', 'demoVueSettled'].includes(t.name),
  ),
  calls = quick ? 3 : 30,
}) {
  const pagesDir = join(cacheDir, 'pages')
  await bundlePages(pagesDir)
  const server = startChild({
    name: 'call servers',
    script: join(here, 'callServer.mjs'),
    args: [pagesDir],
    readyPattern: /\{.*\}/,
  })
  const ports = JSON.parse((await server.ready)[0])
  // The demo as it is deployed: its own built server (client and signaling on one port).
  const demoServer = targets.some((target) => target.demo)
    ? startChild({
        name: 'demo server',
        script: DEMO_SERVER,
        env: { PORT: '0' },
        readyPattern: /Duet demo: http:\/\/localhost:(\d+)/,
      })
    : null
  if (demoServer) ports.demo = Number((await demoServer.ready)[1])
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const runs = Object.fromEntries(targets.map((t) => [t.name, []]))
    // One call each first, not counted: the first call of a fresh browser pays its warm-up.
    for (const target of targets) await callOf(target)(browser, target, ports, -1, instrument)
    for (let i = 0; i < calls; i++) {
      for (const target of targets) {
        const run = await callOf(target)(browser, target, ports, i, instrument)
        if (!run.ok) log(`  ${target.name} call ${i}: FAILED ${run.error ?? '(no frames decoded)'}`)
        runs[target.name].push(run)
      }
      if (i % 10 === 9 || i === calls - 1) log(`  ${i + 1}/${calls} calls per target`)
    }
    const results = {}
    for (const target of targets) {
      const good = runs[target.name].filter((run) => run.ok)
      const connected = summarize(good.map((run) => run.connected))
      const firstFrame = summarize(good.map((run) => run.firstFrame))
      const fromOpen = (name) => {
        const values = good.map((run) => run[name]).filter((value) => value != null)
        return values.length > 0 ? summarize(values) : null
      }
      const pageToFrame = fromOpen('pageToFrame')
      const pageToBothFrames = fromOpen('pageToBothFrames')
      const pageToJoinEnabled = fromOpen('pageToJoinEnabled')
      results[target.name] = {
        label: target.label,
        anchor: Boolean(target.anchor),
        prototype: Boolean(target.prototype),
        runs: runs[target.name].length,
        ok: good.length,
        connectedP50: connected.p50,
        connectedP95: connected.p95,
        firstFrameP50: firstFrame.p50,
        firstFrameP95: firstFrame.p95,
        pageToFrameP50: pageToFrame?.p50 ?? null,
        pageToFrameP95: pageToFrame?.p95 ?? null,
        pageToBothFramesP50: pageToBothFrames?.p50 ?? null,
        pageToBothFramesP95: pageToBothFrames?.p95 ?? null,
        pageToJoinEnabledP50: pageToJoinEnabled?.p50 ?? null,
        pageToJoinEnabledP95: pageToJoinEnabled?.p95 ?? null,
        // Median time of each phase after the join, per page (a: first in the room, b: joiner).
        timeline: { a: medianPhases(good, 'a'), b: medianPhases(good, 'b') },
      }
      log(
        `  ${target.name}: connected p50 ${connected.p50} p95 ${connected.p95} ms, first frame p50 ` +
          `${firstFrame.p50} p95 ${firstFrame.p95} ms, page open → both decoding p50 ` +
          `${pageToBothFrames?.p50 ?? '—'}${pageToJoinEnabled ? `, → Join enabled p50 ${pageToJoinEnabled.p50}` : ''} ms ` +
          `(${good.length}/${runs[target.name].length} ok)`,
      )
    }
    return { calls, browser: browser.version(), targets: results }
  } finally {
    await browser.close()
    await server.stop()
    await demoServer?.stop()
  }
}
