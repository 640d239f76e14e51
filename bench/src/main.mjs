// `pnpm bench` (full, ~40 min on 2 cores) and `pnpm bench --quick` (a few iterations of everything, ~2 min,
// run by `npm test` so the harness cannot rot; no assertion on speed). Options:
//   --quick            few iterations; writes results/quick.json and leaves the READMEs alone
//   --only=call,heal,server,bundle   run only these parts (the READMEs are left alone then too)
//   --no-build         skip `turbo run build` (the bench needs the packages' dist/)
//   --report           only rewrite the READMEs' tables from results/latest.json
//   --targets=duet,peerjs,demoVue   call set-up: only these targets (results/quick.json)
//   --calls=N          call set-up: N calls per target
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runBundleSize } from './bundle/bundleSize.mjs'
import { CALL_TARGETS, runCallSetup } from './callSetup/callSetup.mjs'
import { runHealing } from './healing/healing.mjs'
import { loopbackOnly, reRunIsolated } from './lib/isolate.mjs'
import { updateReadmes } from './report.mjs'
import { runServerBench } from './server/serverBench.mjs'
import { REPO } from './server/targets.mjs'

const BENCH = join(import.meta.dirname, '..')
const PARTS = ['call', 'heal', 'server', 'bundle']

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
    targets: { type: 'string' },
    calls: { type: 'string' },
  },
})
const readmes = { bench: join(BENCH, 'README.md'), root: join(REPO, 'README.md') }
if (values.report) {
  updateReadmes(JSON.parse(readFileSync(join(BENCH, 'results', 'latest.json'), 'utf8')), readmes)
  process.exit(0)
}
const parts = values.only ? values.only.split(',') : PARTS
const unknown = parts.filter((part) => !PARTS.includes(part))
if (unknown.length > 0) {
  console.error(`unknown part(s): ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`)
  process.exit(2)
}

const log = (line) => console.log(line)

// The bench runs the published output of the packages (the server CLI, the bundles): build it
// first, from turbo's cache when nothing changed. Inside a namespace someone else made (npm
// test, right after its build step) only a missing dist/ is built.
const DIST = [
  'packages/core/dist/index.js',
  'packages/server/dist/cli.js',
  'packages/vue/dist/index.js',
  'packages/svelte/dist/index.js',
  'apps/demo/dist/index.html',
  'apps/demo/dist-server/main.js',
]
const missing = DIST.filter((file) => !existsSync(join(REPO, file)))
if (!values['no-build'] && (!loopbackOnly() || missing.length > 0)) {
  const built = turbo([
    'run',
    'build',
    '--filter=@duet/*',
    '--filter=demo',
    '--output-logs=errors-only',
  ])
  if (built !== 0) {
    if (missing.length > 0) process.exit(built)
    console.warn('! build failed; measuring the dist/ already there')
  }
}

const isolatedExit = reRunIsolated()
if (isolatedExit !== null) process.exit(isolatedExit)
if (!loopbackOnly()) {
  console.warn('! not in a loopback-only network namespace (needs root): running as is')
}

const started = Date.now()
const results = {
  date: new Date().toISOString(),
  mode: values.quick ? 'quick' : 'full',
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    browser: null,
    openFilesPerProcess: openFileLimit(),
    loopbackOnly: loopbackOnly(),
    // Other work on the machine skews every figure: the load before and after says how much.
    loadAverageBefore: loadavg()[0],
  },
}

const cacheDir = join(BENCH, '.cache')
if (parts.includes('call')) {
  log('\n# call set-up (Chromium)')
  const call = await runCallSetup({
    quick: values.quick,
    log,
    cacheDir,
    ...(values.targets
      ? { targets: CALL_TARGETS.filter((t) => values.targets.split(',').includes(t.name)) }
      : {}),
    ...(values.calls ? { calls: Number(values.calls) } : {}),
  })
  results.machine.browser = `Chromium ${call.browser}`
  results.plan = { ...results.plan, callsPerTarget: call.calls }
  results.callSetup = call.targets
}
if (parts.includes('heal')) {
  log('\n# self-healing (Chromium, network cuts)')
  results.healing = await runHealing({ quick: values.quick, log, cacheDir })
}
if (parts.includes('server')) {
  log('\n# signaling servers')
  const { plan, ...server } = await runServerBench({ quick: values.quick, log })
  results.plan = { ...results.plan, server: plan }
  results.server = server
}
if (parts.includes('bundle')) {
  log('\n# bundle size')
  results.bundle = await runBundleSize({ log })
}
results.machine.loadAverageAfter = loadavg()[0]
results.seconds = Math.round((Date.now() - started) / 1000)

mkdirSync(join(BENCH, 'results'), { recursive: true })
const complete = !values.quick && parts.length === PARTS.length && !values.targets && !values.calls
const out = join(BENCH, 'results', complete ? 'latest.json' : 'quick.json')
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
// In the repository's own format, so `pnpm lint` passes on a fresh result.
spawnSync(join(REPO, 'node_modules/.bin/biome'), ['format', '--write', out], { stdio: 'ignore' })
if (complete) updateReadmes(results, readmes)
log(`\nbench: done in ${results.seconds} s → ${out}`)

/**
 * Runs turbo by its path: through `pnpm turbo`, pnpm's relative `./node_modules/.bin` on PATH
 * makes turbo spawn the root's pnpm by a path that is wrong from a package's folder.
 */
function turbo(args) {
  const run = spawnSync(join(REPO, 'node_modules', '.bin', 'turbo'), args, {
    cwd: REPO,
    stdio: 'inherit',
  })
  return run.status ?? 1
}

function openFileLimit() {
  const match = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))
  return match ? Number(match[1]) : null
}
