// `npm run demo`: install what is missing, build the demo and its workspace deps, then
// serve the demo app and the signaling server on one port (PORT, default 3000).
// A second run needs no network: install is skipped when in sync, turbo's cache is local.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  banner,
  ensureInstalled,
  ensurePnpm,
  fail,
  must,
  root,
  run,
  turboIn,
} from './lib/bootstrap.mjs'

const pnpm = await ensurePnpm()
await ensureInstalled(pnpm)

banner('building the demo (turbo run build --filter demo...)')
await must(turboIn(), ['run', 'build', '--filter', 'demo...'])

const entry = join(root, 'apps', 'demo', 'dist-server', 'main.js')
if (!existsSync(entry)) fail(`the demo build did not produce ${entry}`)

// PORT is a run-time setting of the server, not a build input turbo must track.
const { PORT = '3000' } = process.env
banner(`starting the demo on http://localhost:${PORT}`)

// Node cannot exec(), so the server runs as a child that gets our signals (see run())
// and whose exit code becomes ours. It prints its own URL once it listens.
process.exit(await run(process.execPath, [entry], { env: { ...process.env, PORT } }))
