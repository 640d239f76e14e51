// `npm test`: install whatever is missing, then run every check in order and stop at
// the first failure with its exit code. Extra args go to vitest:
//   npm test -- --project server
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  banner,
  ensureInstalled,
  ensurePnpm,
  ensureSystemPackages,
  fail,
  isRoot,
  run,
  turboIn,
  which,
} from './lib/bootstrap.mjs'

// Debian packages the tests need, by the binary that proves each is there.
const SYSTEM_PACKAGES = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  // The cross-browser tests call Chromium from Firefox ESR (driven over WebDriver BiDi).
  { bin: '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
  // The server's tests start real Redis and coturn processes of their own.
  { bin: '/usr/bin/redis-server', pkg: 'redis-server' },
  { bin: '/usr/bin/turnserver', pkg: 'coturn' },
  // The deployment test (e2e/deploy.test.ts) puts Debian's nginx with TLS in front of the
  // nodes, with a certificate openssl makes.
  { bin: '/usr/sbin/nginx', pkg: 'nginx' },
  { bin: '/usr/bin/openssl', pkg: 'openssl' },
  // `ip` brings up loopback inside the test network namespace, and `nft` cuts peer traffic in
  // it for the self-healing tests (root only: both act on the namespace).
  ...(isRoot
    ? [
        { bin: 'ip', pkg: 'iproute2' },
        { bin: '/usr/sbin/nft', pkg: 'nftables' },
      ]
    : []),
]

const vitestArgs = process.argv.slice(2)

// All installs happen here, before the network namespace, which has no network.
const pnpm = await ensurePnpm()
await ensureInstalled(pnpm)
await ensureSystemPackages(SYSTEM_PACKAGES)

/**
 * As root, vitest runs in a fresh network namespace with only loopback up: every ICE
 * candidate is 127.0.0.1, and no test can reach (or depend on) the outside world.
 */
function isolated(cmd, args) {
  if (!isRoot) return [cmd, args]
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) {
    console.warn('! `unshare -n` is not permitted here; running vitest without isolation')
    return [cmd, args]
  }
  const script = `${which('ip') ?? 'ip'} link set lo up && exec "$0" "$@"`
  return ['unshare', ['-n', 'sh', '-c', script, cmd, ...args]]
}

// A JSON report next to the default one lets us close with a plain
// "vitest: N passed, N failed" line. Skipped when the caller picks reporters.
const reportDir = mkdtempSync(join(tmpdir(), 'duet-vitest-'))
const ownReporters = vitestArgs.some((a) => a.startsWith('--reporter'))
const reportArgs = (name) =>
  ownReporters
    ? []
    : ['--reporter=default', '--reporter=json', `--outputFile.json=${join(reportDir, name)}`]
// Unless the caller picked projects, the network-cut and hostile-load tests run apart (see
// their steps).
const ownProjects = vitestArgs.some((a) => a.startsWith('--project'))
const NETCUT_PROJECTS = ['netcut', 'e2e-netcut']
// One negated glob: vitest runs a project that matches any pattern, so '!netcut' and
// '!e2e-netcut' given together would let each other's project back in.
const mainProjects = ownProjects ? [] : ['--project', '!*netcut']

/** A step running one vitest project apart (in its own namespace), unless projects were picked. */
const apart = (name, project) =>
  ownProjects
    ? []
    : [
        [
          name,
          ...isolated(pnpm, [
            'exec',
            'vitest',
            'run',
            ...reportArgs(`${project}.json`),
            '--project',
            project,
          ]),
        ],
      ]

// `pnpm exec`, not `pnpm vitest`: the root "vitest" script would shadow the binary.
const steps = [
  ['lint (biome)', pnpm, ['lint']],
  ['build', turboIn(), ['run', 'build']],
  ['typecheck', turboIn(), ['run', 'typecheck']],
  ['check:package (publint + attw)', turboIn(), ['run', 'check:package']],
  // Publishes to a local registry and installs fresh apps from it, so it runs outside the
  // namespace; it isolates its own browser call (scripts/release/rehearsal.mjs). Skipped, like
  // the benchmarks, when the arguments narrow vitest to some tests.
  ...(vitestArgs.length === 0
    ? [['release rehearsal', process.execPath, ['scripts/release/rehearsal.mjs']]]
    : []),
  [
    'vitest (unit, integration, e2e)',
    // DUET_SKIP_HOSTILE empties the hostile project here (see packages/server/vitest.hostile.config.ts).
    ...isolated('env', [
      ...(ownProjects ? [] : ['DUET_SKIP_HOSTILE=1']),
      pnpm,
      'exec',
      'vitest',
      'run',
      ...reportArgs('main.json'),
      ...mainProjects,
      ...vitestArgs,
    ]),
  ],
  // Tests that really cut peer traffic with nftables, each project in a namespace of its own: a
  // cut in a shared one would drop the traffic of every test running beside them (Node peers and
  // browsers alike).
  ...NETCUT_PROJECTS.flatMap((project) => apart(`vitest (network-cut: ${project})`, project)),
  // The hostile-load suite: attacks on real duet-server processes and a real Redis, one file at
  // a time in a namespace of its own, so its RSS and CPU figures are not shared with other tests.
  ...apart('vitest (hostile load)', 'hostile'),
  // A few iterations of every benchmark (bench/), so the harness cannot rot; no speed asserted.
  // Skipped when the arguments narrow vitest to some tests.
  ...(vitestArgs.length === 0 ? [['bench --quick', ...isolated(pnpm, ['bench', '--quick'])]] : []),
]
const vitestStep = steps.findIndex(([name]) => name.startsWith('vitest'))

function summarize() {
  const reports = [
    'main.json',
    ...[...NETCUT_PROJECTS, 'hostile'].map((project) => `${project}.json`),
  ]
    .map((name) => join(reportDir, name))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')))
  if (reports.length === 0) return
  const sum = (pick) => reports.reduce((total, r) => total + (pick(r) ?? 0), 0)
  const skipped = sum((r) => r.numPendingTests) + sum((r) => r.numTodoTests)
  console.log(
    `vitest: ${sum((r) => r.numPassedTests)} passed, ${sum((r) => r.numFailedTests)} failed, ${skipped} skipped`,
  )
}

for (const [i, [name, cmd, args]] of steps.entries()) {
  banner(`[${i + 1}/${steps.length}] ${name}: ${[cmd, ...args].join(' ')}`)
  const started = Date.now()
  const code = await run(cmd, args)
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (code !== 0) {
    // The vitest tally closes the output, whichever step stopped the run after it.
    if (i >= vitestStep) summarize()
    rmSync(reportDir, { recursive: true, force: true })
    fail(`step ${i + 1}/${steps.length} "${name}" failed (exit ${code}, ${secs}s)`, code)
  }
  console.log(`✓ ${name} (${secs}s)`)
}
summarize()
rmSync(reportDir, { recursive: true, force: true })
console.log(`\n✓ all ${steps.length} steps passed`)
