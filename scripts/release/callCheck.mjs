// The call of the release rehearsal, run by rehearsal.mjs inside the loopback-only network
// namespace (as root): serves the built Vue and Svelte apps, starts the duet-server installed
// from the local registry with its CLI, and has Chromium join both apps to one room. Passes
// when both pages show `connected` and decode the other's video.
//   node callCheck.mjs <vue dist> <svelte dist> <server dir> [--defaults]
// --defaults starts `npx duet-server` with no arguments and expects port 3000 (a fresh network
// namespace has it free); without it the server gets `--port 0`.
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.mjs'

const [vueDist, svelteDist, serverDir, ...flags] = process.argv.slice(2)
const defaults = flags.includes('--defaults')
const TIMEOUT = 30_000
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

const cleanups = []
const log = (text) => console.log(`  ${text}`)

/** Serves a built app (`dist/`) on 127.0.0.1; unknown paths get index.html. */
async function serveStatic(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname))
    const file = join(dir, path.endsWith('/') ? 'index.html' : path)
    const body = await readFile(file.startsWith(dir) ? file : '').catch(() =>
      readFile(join(dir, 'index.html')),
    )
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'text/html' })
    res.end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve)
        server.closeAllConnections()
      }),
  )
  return `http://127.0.0.1:${server.address().port}/`
}

/** `npx duet-server` from the directory it was installed in; resolves to its URL. */
function startServer() {
  const args = ['--no-install', 'duet-server', ...(defaults ? [] : ['--port', '0'])]
  log(`$ npx ${args.join(' ')}   (in ${serverDir})`)
  // Its own process group, so stopping it also stops the node process npx starts.
  const child = spawn('npx', args, { cwd: serverDir, detached: true, stdio: 'pipe' })
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {}
  }
  let exited = false
  child.on('exit', () => {
    exited = true
  })
  cleanups.push(async () => {
    if (exited) return
    const gone = new Promise((resolve) => child.once('exit', resolve))
    killGroup('SIGTERM')
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  })
  let output = ''
  child.stderr.on('data', (d) => {
    output += d
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 15_000)
    child.on('exit', (code) => reject(new Error(`duet-server exited (${code}):\n${output}`)))
    child.stdout.on('data', (d) => {
      output += d
      const match = /^duet-server listening on (http:\/\/\S+)$/m.exec(output)
      if (!match) return
      clearTimeout(timer)
      log(`duet-server: ${match[0]}`)
      const port = Number(new URL(match[1]).port)
      if (defaults && port !== 3000) reject(new Error(`default port is ${port}, not 3000`))
      resolve(`http://127.0.0.1:${port}`)
    })
  })
}

async function main() {
  const started = Date.now()
  const [vueUrl, svelteUrl, signal] = await Promise.all([
    serveStatic(vueDist),
    serveStatic(svelteDist),
    startServer(),
  ])
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  cleanups.push(() => browser.close())
  const room = `rehearsal-${process.pid}`
  const query = `?room=${room}&signal=${encodeURIComponent(signal)}`
  const pages = []
  for (const [name, url] of [
    ['vue', vueUrl],
    ['svelte', svelteUrl],
  ]) {
    const page = await (await browser.newContext()).newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.setDefaultTimeout(TIMEOUT)
    await page.goto(`${url}${query}`)
    await page.getByRole('button', { name: 'Join' }).waitFor()
    pages.push({ name, page, errors })
  }
  log(`both apps loaded (${Date.now() - started} ms); joining room ${room}`)
  const joined = Date.now()
  await Promise.all(pages.map(({ page }) => page.getByRole('button', { name: 'Join' }).click()))

  const status = (page) => page.locator('#status').textContent()
  try {
    await Promise.all(
      pages.map(({ page }) =>
        page.waitForFunction(() => document.getElementById('status')?.textContent === 'connected'),
      ),
    )
    const connected = Date.now() - joined
    await Promise.all(
      pages.map(({ page }) =>
        page.waitForFunction(() => document.querySelector('video#remote')?.videoWidth > 0),
      ),
    )
    const decoded = Date.now() - joined
    for (const { name, page } of pages) {
      const size = await page.evaluate(() => {
        const v = document.querySelector('video#remote')
        return `${v.videoWidth}x${v.videoHeight}`
      })
      log(`${name}: status ${await status(page)}, remote video ${size}`)
    }
    log(`Join → both connected: ${connected} ms; → both decoding video: ${decoded} ms`)
  } catch (error) {
    for (const { name, page, errors } of pages) {
      log(`${name}: status ${await status(page).catch(() => '?')}`)
      for (const e of errors) log(`${name} console: ${e}`)
    }
    throw error
  }
}

let code = 0
try {
  await main()
} catch (error) {
  console.error(`✗ call check: ${error.message}`)
  code = 1
}
for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
process.exit(code)
