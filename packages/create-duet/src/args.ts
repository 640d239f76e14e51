import { parseArgs } from 'node:util'
import { CreateDuetError } from './errors'

/** The command line of `create-duet`, parsed. */
export interface CliArgs {
  /** The folder to create, when given. */
  targetDir?: string
  /** `--template` / `-t`, when given (checked later, with the list of templates). */
  template?: string
  /** `--yes` / `-y`: ask nothing, take the defaults for whatever is not given. */
  yes: boolean
  /** `--help` / `-h`. */
  help: boolean
}

/** Parses `argv` (without node and the script); a flag it does not know is a usage error. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    throw new CreateDuetError('USAGE', (error as Error).message)
  }
  const { values, positionals } = parsed
  if (positionals.length > 1) {
    throw new CreateDuetError('USAGE', `Expected one target folder, got: ${positionals.join(' ')}`)
  }
  return {
    ...(positionals[0] === undefined ? {} : { targetDir: positionals[0] }),
    ...(values.template === undefined ? {} : { template: values.template }),
    yes: values.yes ?? false,
    help: values.help ?? false,
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: 'string', short: 't' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}
