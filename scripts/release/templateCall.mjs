// The template calls of the release rehearsal, run by rehearsal.mjs inside the loopback-only
// network namespace (as root): for each app that `npm create duet` wrote, starts the app's own
// server (the production one, or `npm run dev`), checks the page the server renders, and has
// two Chromium contexts join one room: both decode the other's video, then Mute and Hang up
// act on the call.
//   node templateCall.mjs '<json [{ name, dir, mode: "start" | "dev", template }]>'
import { spawn } from 'node:child_process'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.mjs'

const apps = JSON.parse(process.argv[2])
const TIMEOUT = 30_000
// Polled on a timer: requestAnimationFrame (the default) stalls in a page that is not in front.
const POLL_MS = 100
const log = (text) => console.log(`  ${text}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts `npm run <script>` in its own process group; resolves to a stop function. */
function startServer({ dir, mode }, port, env) {
  // The production servers read PORT and HOST; `vite` and `nuxt dev` take flags.
  const args =
    mode === 'dev'
      ? ['run', 'dev', '--silent', '--', '--port', String(port), '--host', '127.0.0.1']
      : ['run', 'start', '--silent']
  const child = spawn('npm', args, {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  let output = ''
  child.stdout.on('data', (d) => {
    output += d
  })
  child.stderr.on('data', (d) => {
    output += d
  })
  let exited = null
  child.on('exit', (code, signal) => {
    exited = signal ?? code
  })
  const group = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {}
  }
  const stop = async () => {
    if (exited !== null) return
    const gone = new Promise((resolve) => child.once('exit', resolve))
    group('SIGTERM')
    const timer = setTimeout(() => group('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }
  return { stop, output: () => output, exited: () => exited }
}

/** Waits until `url` answers 200; resolves to the HTML it served. */
async function waitForPage(url, server, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (server.exited() !== null)
      throw new Error(`the server exited (${server.exited()}):\n${server.output()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return await res.text()
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer:\n${server.output()}`)
    await sleep(250)
  }
}

async function callIn(browser, app, port) {
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    NUXT_PUBLIC_SIGNALING_PORT: String(port + 1),
  }
  const server = startServer(app, port, env)
  const contexts = []
  try {
    const started = Date.now()
    const base = `http://127.0.0.1:${port}/`
    const room = `template-${app.template}-${app.mode}`
    const html = await waitForPage(`${base}?room=${room}`, server)
    // Nuxt and SvelteKit render the room page on the server: the Join button is in the HTML.
    if (
      ['nuxt', 'sveltekit'].includes(app.template) &&
      !/<button[^>]*>\s*Join\s*<\/button>/.test(html)
    )
      throw new Error(`the server-rendered page has no Join button:\n${html.slice(0, 2000)}`)
    log(`${app.name}: server up in ${Date.now() - started} ms`)
    const pages = []
    for (let i = 0; i < 2; i += 1) {
      const context = await browser.newContext()
      contexts.push(context)
      const page = await context.newPage()
      page.setDefaultTimeout(TIMEOUT)
      const errors = []
      page.on('pageerror', (e) => {
        // A dev server's first visit may find dependencies its optimizer had not bundled yet:
        // Vite re-bundles them, a module import in flight fails, and Vite reloads the page by
        // itself (seen with `nuxt dev` on a cold cache). Not the app's error; any other is.
        if (app.mode === 'dev' && /Failed to fetch dynamically imported module/.test(String(e))) {
          log(`${app.name}: dev server re-optimized its dependencies (the page reloaded)`)
          return
        }
        errors.push(String(e))
      })
      await page.goto(`${base}?room=${room}`)
      // Hydrated: the preview is playing, so the page's script runs.
      await page.waitForFunction(
        () => document.querySelector('video.local')?.videoWidth > 0,
        null,
        {
          polling: POLL_MS,
        },
      )
      pages.push({ page, errors })
    }
    const joined = Date.now()
    await Promise.all(pages.map(({ page }) => page.getByRole('button', { name: 'Join' }).click()))
    await Promise.all(
      pages.map(({ page }) =>
        page.waitForFunction(() => document.querySelector('video.remote')?.videoWidth > 0, null, {
          polling: POLL_MS,
        }),
      ),
    )
    log(`${app.name}: Join → both decoding the other's video: ${Date.now() - joined} ms`)
    const [first] = pages
    await first.page.getByRole('button', { name: 'Mute' }).click()
    await first.page.getByRole('button', { name: 'Unmute' }).waitFor()
    await first.page.getByRole('button', { name: 'Hang up' }).click()
    await first.page.getByRole('button', { name: 'Call again' }).waitFor()
    const errors = pages.flatMap(({ errors: e }) => e)
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`)
    log(`${app.name}: Mute → Unmute shown, Hang up → Call again shown; no page error`)
  } catch (error) {
    for (const [i, context] of contexts.entries()) {
      const [page] = context.pages()
      const status = await page
        ?.locator('#status')
        .textContent({ timeout: 1000 })
        .catch(() => '?')
      error.message += `\n  tab ${i + 1}: status ${status}`
    }
    error.message = `${app.name}: ${error.message}\n--- server output ---\n${server.output().slice(-3000)}`
    throw error
  } finally {
    for (const context of contexts) await context.close().catch(() => {})
    await server.stop()
  }
}

let code = 0
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
try {
  let port = 4100
  for (const app of apps) {
    await callIn(browser, app, port)
    port += 10
  }
} catch (error) {
  console.error(`✗ template call: ${error.message}`)
  code = 1
}
await browser.close().catch(() => {})
process.exit(code)
