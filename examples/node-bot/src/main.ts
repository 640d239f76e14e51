import { startBot } from './bot'
import { parseBotOptions, USAGE, UsageError } from './options'

// The entry point: `pnpm start -- http://localhost:3000/room/abc123defg`. See README.md.
const log = (line: string) => console.log(`[node-bot] ${line}`)

function readOptions() {
  try {
    const options = parseBotOptions(process.argv.slice(2), process.env)
    if (options !== 'help') return options
    console.log(USAGE)
    process.exit(0)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`${error.message}\n\n${USAGE}`)
    process.exit(2)
  }
}

const options = readOptions()
log(`joining room ${options.room} on ${options.server}`)
const bot = startBot({ ...options, log })

let stopping = false
async function shutDown(why: string, exitCode: number) {
  if (stopping) return
  stopping = true
  log(`${why}: hanging up`)
  await bot.stop()
  log('bye')
  // Explicitly: with wrtc loaded, Node winding down by itself at the end of the event loop
  // crashes in wrtc's native teardown (SIGSEGV, measured with @roamhq/wrtc 0.10.0).
  process.exit(exitCode)
}

// `once`: a second Ctrl-C falls back to Node's default and kills the process outright.
process.once('SIGINT', () => void shutDown('SIGINT', 0))
process.once('SIGTERM', () => void shutDown('SIGTERM', 0))
void bot.ended.then((error) => {
  if (stopping) return
  if (error) log(`call ended: ${error.code}: ${error.message}`)
  void shutDown('call over', error ? 1 : 0)
})
