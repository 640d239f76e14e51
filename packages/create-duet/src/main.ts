import { relative, resolve } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { parseCliArgs } from './args'
import { createApp } from './createApp'
import { CreateDuetError } from './errors'
import { type Prompter, readlinePrompter } from './prompt'
import { assertTemplateName, TEMPLATE_DESCRIPTIONS, TEMPLATES } from './templates'

/** What the CLI reads and writes; tests pass their own streams. */
export interface CliIo {
  /** Arguments after the script name. */
  argv: readonly string[]
  /** Where questions are read from. */
  stdin: Readable
  /** Progress and the next steps. */
  stdout: Writable
  /** Refusals, one line. */
  stderr: Writable
  /** Folder the target is resolved against. */
  cwd: string
  /** `npm_config_user_agent`, so the next steps name the package manager that ran us. */
  userAgent?: string
}

const DEFAULT_DIR = 'duet-app'

const USAGE = `Usage: npm create duet@latest [folder] -- [--template <name>] [--yes]

Writes a Duet video-call app: a room page (preview, join, remote videos, mute, hang up) and
the signaling server, started by \`npm run dev\` and by the production server.

Options:
  -t, --template <name>  ${TEMPLATES.join(' | ')}
  -y, --yes              ask nothing: folder "${DEFAULT_DIR}" and template "${TEMPLATES[0]}" unless given
  -h, --help             print this

Templates:
${TEMPLATES.map((t) => `  ${t.padEnd(10)} ${TEMPLATE_DESCRIPTIONS[t]}`).join('\n')}
`

function packageManager(userAgent: string | undefined): string {
  const name = userAgent?.split('/')[0]
  return name === 'pnpm' || name === 'yarn' || name === 'bun' ? name : 'npm'
}

/** Runs create-duet; resolves to the exit code (0 written, 1 refused, 2 usage). */
export async function main(
  io: CliIo = {
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    userAgent: process.env.npm_config_user_agent,
  },
  prompter: (io: CliIo) => Prompter = ({ stdin, stdout }) => readlinePrompter(stdin, stdout),
): Promise<number> {
  let prompt: Prompter | null = null
  try {
    const args = parseCliArgs(io.argv)
    if (args.help) {
      io.stdout.write(USAGE)
      return 0
    }
    const ask = () => {
      prompt ??= prompter(io)
      return prompt
    }
    if (args.template !== undefined) assertTemplateName(args.template)
    const targetDir =
      args.targetDir ?? (args.yes ? DEFAULT_DIR : await ask().targetDir(DEFAULT_DIR))
    const template = args.template ?? (args.yes ? TEMPLATES[0] : await ask().template())
    const app = createApp({ targetDir: resolve(io.cwd, targetDir), template })
    const fromCwd = relative(io.cwd, app.dir)
    const path = fromCwd.startsWith('..') ? app.dir : fromCwd || '.'
    const where = /\s/.test(path) ? JSON.stringify(path) : path
    const pm = packageManager(io.userAgent)
    io.stdout.write(
      `\nCreated ${app.packageName} (${app.template}) in ${app.dir}\n\nNext:\n` +
        `  cd ${where}\n  ${pm} install\n  ${pm} run dev\n\n` +
        'Open the printed URL in two tabs and press Join in both.\n',
    )
    return 0
  } catch (error) {
    if (!(error instanceof CreateDuetError)) throw error
    io.stderr.write(`create-duet: ${error.message}\n`)
    if (error.code === 'USAGE') io.stderr.write('Run with --help for usage.\n')
    return error.code === 'USAGE' ? 2 : 1
  } finally {
    ;(prompt as Prompter | null)?.close()
  }
}
