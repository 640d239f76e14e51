import { parseArgs } from 'node:util'
import type { BotOptions } from './bot'

/** The command line is wrong; the message says how. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** How to call the bot, printed with a {@link UsageError}. */
export const USAGE = `Usage: node-bot [ROOM_URL] [--server URL] [--room ID] [--help]

  ROOM_URL       a room page of the demo, e.g. http://localhost:3000/room/abc123defg
  --server URL   signaling server (env DUET_SERVER), e.g. http://localhost:3000
  --room ID      room to join (env DUET_ROOM)

Flags win over the room URL, which wins over the environment.`

const ROOM_PATH = /\/room\/([^/?#]+)\/?$/

/** Server and room from the command line and the environment. */
export function parseBotOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): Pick<BotOptions, 'server' | 'room'> | 'help' {
  let parsed: ReturnType<typeof parseCommandLine>
  try {
    parsed = parseCommandLine(argv)
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  if (values.help) return 'help'
  if (positionals.length > 1) throw new UsageError('give at most one room URL')
  const fromUrl = positionals[0] === undefined ? undefined : splitRoomUrl(positionals[0])
  const server = values.server ?? fromUrl?.server ?? env.DUET_SERVER
  const room = values.room ?? fromUrl?.room ?? env.DUET_ROOM
  if (!server) throw new UsageError('no server: pass --server, a room URL or DUET_SERVER')
  if (!room) throw new UsageError('no room: pass --room, a room URL or DUET_ROOM')
  if (!URL.canParse(server)) throw new UsageError(`not a URL: ${server}`)
  return { server, room }
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { server: { type: 'string' }, room: { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  })
}

function splitRoomUrl(text: string): { server: string; room: string } {
  const url = URL.canParse(text) ? new URL(text) : null
  const room = url ? ROOM_PATH.exec(url.pathname)?.[1] : undefined
  if (!url || !room) throw new UsageError(`not a room URL: ${text}`)
  return { server: url.origin, room: decodeURIComponent(room) }
}
