import { EventEmitter } from 'node:events'
import type { CliProcess } from '../../src/run'

/** An in-process stand-in for `process`: recorded output and signals the test sends. */
export function fakeProcess(argv: string[], env: Record<string, string> = {}) {
  const output = { stdout: '', stderr: '' }
  const signals = new EventEmitter()
  let onStdout = (): void => {}
  const cli: CliProcess = {
    argv,
    env,
    stdout: {
      write: (chunk) => {
        output.stdout += chunk
        onStdout()
      },
    },
    stderr: { write: (chunk) => (output.stderr += chunk) },
    signals,
  }
  const line = new Promise<string>((resolve) => {
    onStdout = () => {
      if (output.stdout.includes('\n')) resolve(output.stdout)
    }
  })
  return { cli, output, signals, line }
}
