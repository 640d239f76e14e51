// Release rehearsal, a step of `npm test` (run before the tests, outside the network namespace,
// because the fresh apps install their third-party packages through the local registry):
//  1. copy the repository (files git tracks or would track) into a temporary directory;
//  2. there, `changeset version` (with a temporary changeset if none is pending), build the
//     packages and `changeset publish` them to a Verdaccio on a loopback port;
//  3. check the published tarballs: no tests, no dangling source maps, no `workspace:`;
//  4. outside any workspace, write a Vite + Vue app and a Vite + Svelte app, install them and
//     @duet/server from that registry only, and build the apps;
//  5. in the loopback-only namespace (as root), callCheck.mjs serves both apps, starts
//     `npx duet-server` and has Chromium complete a call between them;
//  6. `npm create duet@<version>` writes the four templates (vue, svelte, nuxt, sveltekit),
//     installs them from the same registry and builds them; in the namespace,
//     templateCall.mjs completes a call in each through its production server (and through
//     `npm run dev` for Vue, SvelteKit and Nuxt), and the client JavaScript of each is measured.
// Exits non-zero with the reason on the first failure; removes everything it made.
// `node scripts/release/rehearsal.mjs --keep` keeps the temporary directory for a look afterwards.
import { spawn, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { banner, ensurePnpm, isRoot, root, turboIn, which } from '../lib/bootstrap.mjs'
import { writeServerDir, writeSvelteApp, writeVueApp } from './apps.mjs'
import { CLIENT_DIRS, clientJs } from './bundleSize.mjs'
import { startRegistry } from './registry.mjs'
import { checkPublished, sizeTable } from './tarballs.mjs'

const PACKAGES = ['@duet/core', '@duet/server', '@duet/vue', '@duet/svelte', 'create-duet']
const PACKAGE_DIRS = ['core', 'server', 'vue', 'svelte', 'create-duet']
const TEMPLATES = ['vue', 'svelte', 'nuxt', 'sveltekit']
const here = dirname(fileURLToPath(import.meta.url))
const started = Date.now()
const work = mkdtempSync(join(tmpdir(), 'duet-release-'))
const dir = {
  repo: join(work, 'repo'),
  registry: join(work, 'registry'),
  tarballs: join(work, 'tarballs'),
  vue: join(work, 'app-vue'),
  svelte: join(work, 'app-svelte'),
  server: join(work, 'server'),
  templates: Object.fromEntries(TEMPLATES.map((t) => [t, join(work, `create-${t}`)])),
}
let registry = null

class StepError extends Error {}

/**
 * The environment of every command here: ours without what `npm test` and pnpm put there
 * (npm_* variables, the repository's node_modules/.bin on PATH), so the fresh apps see
 * nothing of the workspace. `extra` is added on top.
 */
function env(extra = {}) {
  const keep = ['npm_config_update_notifier', 'npm_config_manage_package_manager_versions']
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.includes(k)),
  )
  const tools = join(root, '.tools')
  clean.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => !p.startsWith(root) || p.startsWith(tools))
    .join(delimiter)
  return { ...clean, ...extra }
}

/**
 * Runs a command; resolves to its stdout+stderr. Prints the output as it comes when `show`
 * is set; otherwise only on failure (its last 60 lines). Killed after `timeoutMs`.
 */
function sh(cmd, args, { cwd, extraEnv, show = false, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const take = (d) => {
      output += d
      if (show) process.stdout.write(d)
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (e) => reject(new StepError(`cannot start ${cmd}: ${e.message}`)))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return resolve(output)
      if (!show) console.log(output.trimEnd().split('\n').slice(-60).join('\n'))
      const why = signal ? `killed (${signal}${signal === 'SIGKILL' ? ', timeout' : ''})` : code
      reject(new StepError(`${[cmd, ...args].join(' ')} in ${cwd} exited with ${why}`))
    })
  })
}

const STEPS = 11
let stepNo = 0
let stepStarted = 0
function step(text) {
  if (stepNo > 0) console.log(`  (${((Date.now() - stepStarted) / 1000).toFixed(1)}s)`)
  stepNo += 1
  stepStarted = Date.now()
  banner(`release ${stepNo}/${STEPS}: ${text}`)
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))
const versions = () =>
  Object.fromEntries(
    PACKAGE_DIRS.map((d) => [
      readJson(join(dir.repo, 'packages', d, 'package.json')).name,
      readJson(join(dir.repo, 'packages', d, 'package.json')).version,
    ]),
  )

/** Files git tracks or would track (untracked but not ignored), as in a fresh clone plus edits. */
function copyRepo() {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (r.status !== 0) throw new StepError(`git ls-files failed: ${r.stderr}`)
  const files = r.stdout.split('\0').filter((f) => f && existsSync(join(root, f)))
  for (const file of files) cpSync(join(root, file), join(dir.repo, file))
  return files.length
}

async function rehearse() {
  const pnpm = await ensurePnpm()

  step('copy the repository, install it from the pnpm store')
  const count = copyRepo()
  console.log(`  ${count} files → ${dir.repo}`)
  const git = (...args) =>
    sh('git', ['-c', 'user.name=rehearsal', '-c', 'user.email=rehearsal@localhost', ...args], {
      cwd: dir.repo,
    })
  // `changeset status` compares with a local `main` branch.
  await git('init', '-q', '-b', 'main')
  await git('add', '-A')
  await git('commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'rehearsal snapshot')
  await sh(pnpm, ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: dir.repo })

  step('changeset version')
  const pending = readdirSync(join(dir.repo, '.changeset')).filter(
    (f) => f.endsWith('.md') && f !== 'README.md',
  )
  if (pending.length === 0) {
    console.log('  no pending changeset: adding a patch changeset for the rehearsal')
    const front = PACKAGES.map((p) => `'${p}': patch`).join('\n')
    writeFileSync(
      join(dir.repo, '.changeset', 'release-rehearsal.md'),
      `---\n${front}\n---\n\nRelease rehearsal.\n`,
    )
    await git('add', '-A')
    await git('commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'rehearsal changeset')
  } else {
    console.log(`  pending: ${pending.join(', ')}`)
  }
  await sh(pnpm, ['exec', 'changeset', 'status'], { cwd: dir.repo, show: true })
  const before = versions()
  // The root `version` script: changeset version + lockfile refresh.
  await sh(pnpm, ['run', 'version'], { cwd: dir.repo })
  const after = versions()
  const produced = new Set(Object.values(after))
  for (const name of PACKAGES) {
    console.log(`  ${name}: ${before[name]} → ${after[name]}`)
    if (after[name] === before[name]) throw new StepError(`${name} was not bumped`)
  }
  if (produced.size !== 1) throw new StepError('the fixed @duet/* group got different versions')
  const [version] = produced
  for (const d of PACKAGE_DIRS) {
    const changelog = join(dir.repo, 'packages', d, 'CHANGELOG.md')
    if (!readFileSync(changelog, 'utf8').includes(`## ${version}`))
      throw new StepError(`packages/${d}/CHANGELOG.md has no "## ${version}" section`)
  }

  step('build the packages')
  await sh(
    turboIn(dir.repo),
    ['run', 'build', '--filter=@duet/*', '--filter=create-duet', '--output-logs=errors-only'],
    {
      cwd: dir.repo,
    },
  )

  step('start a local registry (Verdaccio), changeset publish to it')
  mkdirSync(dir.registry)
  registry = await startRegistry(dir.registry)
  console.log(`  verdaccio on ${registry.url}; @duet/* has no uplink`)
  const auth = `//${new URL(registry.url).host}/:_authToken=${registry.token}`
  const publishConfig = join(work, 'publish.npmrc')
  writeFileSync(publishConfig, `registry=${registry.url}\n${auth}\n`)
  const published = await sh(pnpm, ['exec', 'changeset', 'publish'], {
    cwd: dir.repo,
    extraEnv: { npm_config_userconfig: publishConfig, npm_config_registry: registry.url },
    timeoutMs: 120_000,
  })
  for (const name of PACKAGES) {
    if (!published.includes(`${name}@${version}`))
      throw new StepError(`changeset publish did not report ${name}@${version}:\n${published}`)
  }
  console.log(`  published ${PACKAGES.map((p) => `${p}@${version}`).join(', ')}`)

  step('check the published tarballs')
  const rows = await checkPublished(registry.url, PACKAGES, version, dir.tarballs)
  console.log(sizeTable(rows))
  const problems = rows.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`))
  if (problems.length > 0) throw new StepError(`tarball problems:\n  ${problems.join('\n  ')}`)
  console.log('  no tests, no source maps, no workspace: specifiers')

  // A user config of our own: no ~/.npmrc, no scope pointing elsewhere.
  const userConfig = join(work, 'apps.npmrc')
  writeFileSync(
    userConfig,
    `registry=${registry.url}\nfund=false\naudit=false\nomit-lockfile-registry-resolved=false\n`,
  )
  // npm_config_yes: `npm create` installs create-duet without asking.
  const npmEnv = {
    npm_config_userconfig: userConfig,
    npm_config_registry: registry.url,
    npm_config_yes: 'true',
  }

  step(`npm create duet@${version}: the four templates`)
  for (const template of TEMPLATES) {
    const target = dir.templates[template]
    const args = ['create', `duet@${version}`, '--', target, '--template', template, '--yes']
    const out = await sh('npm', args, { cwd: work, extraEnv: npmEnv, timeoutMs: 120_000 })
    if (!existsSync(join(target, 'package.json')))
      throw new StepError(`npm ${args.join(' ')} wrote no package.json:\n${out}`)
    console.log(`  ${template}: ${readdirSync(target, { recursive: true }).length} entries`)
  }

  step('fresh apps outside the workspace: npm install from the local registry only')
  writeVueApp(dir.vue, version)
  writeSvelteApp(dir.svelte, version)
  writeServerDir(dir.server, version)
  const appDirs = [dir.vue, dir.svelte, dir.server, ...Object.values(dir.templates)]
  // All at once through the one npm cache: the installs wait on the network, not the CPU.
  // Once more after a failure: Verdaccio answers for npm, and a moment when npm does not answer
  // it (seen: `vue@undefined`, ERESOLVE) says nothing about the packages being rehearsed.
  const install = (cwd) =>
    sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd,
      extraEnv: npmEnv,
      timeoutMs: 600_000,
    })
  await Promise.all(
    appDirs.map((cwd) =>
      install(cwd).catch(async (error) => {
        console.log(`  ${cwd.slice(work.length + 1)}: ${error.message}; once more in 10 s`)
        await new Promise((resolve) => setTimeout(resolve, 10_000))
        return install(cwd)
      }),
    ),
  )
  for (const cwd of appDirs) {
    const lock = readJson(join(cwd, 'package-lock.json'))
    // Bundled dependencies come inside their parent's tarball, with no URL of their own.
    const entries = Object.entries(lock.packages).filter(([path, p]) => path && !p.inBundle)
    const foreign = entries.filter(([, p]) => p.link || !p.resolved?.startsWith(registry.url))
    if (foreign.length > 0)
      throw new StepError(`${cwd}: not from the local registry: ${foreign.map(([p]) => p)}`)
    const duet = entries.filter(([path]) => path.startsWith('node_modules/@duet/'))
    const wrong = duet.filter(([, p]) => p.version !== version)
    if (wrong.length > 0)
      throw new StepError(
        `${cwd}: wrong @duet versions: ${wrong.map(([p, { version: v }]) => `${p}@${v}`)}`,
      )
    console.log(
      `  ${cwd.slice(work.length + 1)}: ${entries.length} packages, ` +
        `${duet.map(([p, { version: v }]) => `${p.slice('node_modules/'.length)}@${v}`).join(', ')}`,
    )
  }

  step('build: both Vite apps, then the four templates (`npm run build`), two at a time')
  await Promise.all(
    [dir.vue, dir.svelte].map((cwd) =>
      sh(join(cwd, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd }),
    ),
  )
  for (const cwd of [dir.vue, dir.svelte]) {
    if (!existsSync(join(cwd, 'dist', 'index.html'))) throw new StepError(`${cwd}: no dist/`)
  }
  const buildTimes = {}
  const queue = [...TEMPLATES]
  const builder = async () => {
    for (let template = queue.shift(); template; template = queue.shift()) {
      const began = Date.now()
      await sh('npm', ['run', 'build'], { cwd: dir.templates[template], timeoutMs: 300_000 })
      buildTimes[template] = Date.now() - began
    }
  }
  await Promise.all([builder(), builder()])
  const sizes = TEMPLATES.map((template) => {
    const client = join(dir.templates[template], CLIENT_DIRS[template])
    if (!existsSync(client)) throw new StepError(`${template}: the build wrote no ${client}`)
    return { template, build: buildTimes[template], ...clientJs(client) }
  })
  console.log(templateSizeTable(sizes))

  step('the call: Vue app ↔ Svelte app through duet-server, in Chromium')
  const check = [
    join(here, 'callCheck.mjs'),
    join(dir.vue, 'dist'),
    join(dir.svelte, 'dist'),
    dir.server,
  ]
  // A fresh namespace has port 3000 free: the server starts with no arguments at all.
  await inNamespace([...check, '--defaults'], check)

  step('the templates: a call in each through its production server (and `npm run dev`)')
  const calls = [
    ...TEMPLATES.map((template) => ({ name: `${template} (npm start)`, template, mode: 'start' })),
    // The dev servers host signaling too: the Vite plugin (plain and under SvelteKit), and Nitro's plugin under `nuxt dev`.
    ...['vue', 'sveltekit', 'nuxt'].map((template) => ({
      name: `${template} (npm run dev)`,
      template,
      mode: 'dev',
    })),
  ].map((app) => ({ ...app, dir: dir.templates[app.template] }))
  const templateCheck = [join(here, 'templateCall.mjs'), JSON.stringify(calls)]
  await inNamespace(templateCheck, templateCheck, 600_000)

  step('summary')
  console.log(`  versions produced by changeset version: ${version} (${PACKAGES.join(', ')})`)
  console.log(sizeTable(rows))
  console.log(templateSizeTable(sizes))
}

/**
 * Runs `node <args>` in a loopback-only network namespace when we may (root with `unshare`),
 * else `node <fallback>` as is.
 */
async function inNamespace(args, fallback, timeoutMs = 120_000) {
  const isolated = isRoot && spawnSync('unshare', ['-n', 'true']).status === 0
  if (isolated) {
    const script = `${which('ip') ?? 'ip'} link set lo up && exec "$0" "$@"`
    await sh('unshare', ['-n', 'sh', '-c', script, process.execPath, ...args], {
      show: true,
      timeoutMs,
    })
  } else {
    console.log('  (not root or no `unshare -n`: running without network isolation)')
    await sh(process.execPath, fallback, { show: true, timeoutMs })
  }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`

/** A Markdown table of each template's production client JavaScript and build time. */
function templateSizeTable(sizes) {
  return [
    '| template | client JS files | client JS | client JS, gzip | build |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...sizes.map(
      (s) =>
        `| ${s.template} | ${s.files} | ${kib(s.raw)} | ${kib(s.gzip)} | ${(s.build / 1000).toFixed(1)} s |`,
    ),
  ].join('\n')
}

async function cleanup() {
  await registry?.stop().catch(() => {})
  if (process.argv.includes('--keep')) console.log(`  kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, async () => {
    await cleanup()
    process.exit(1)
  })
}

let failure = null
try {
  await rehearse()
} catch (error) {
  if (registry && !(error instanceof StepError)) console.log(readFileSync(registry.logFile, 'utf8'))
  failure = `release rehearsal, step ${stepNo}/${STEPS}: ${error.message}`
}
const cleaning = Date.now()
await cleanup()
console.log(`  (cleaned up in ${((Date.now() - cleaning) / 1000).toFixed(1)}s)`)
if (failure) {
  console.error(`\n✗ ${failure}`)
  process.exit(1)
}
console.log(`\n✓ release rehearsal passed (${((Date.now() - started) / 1000).toFixed(1)}s)`)
