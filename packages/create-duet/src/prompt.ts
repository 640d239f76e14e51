import { createInterface } from 'node:readline/promises'
import type { Readable, Writable } from 'node:stream'
import { CreateDuetError } from './errors'
import { TEMPLATE_DESCRIPTIONS, TEMPLATES, type TemplateName } from './templates'

/** Questions asked on a terminal, one line each; the answer to each is checked here. */
export interface Prompter {
  /** The folder to create; an empty answer takes `fallback`. */
  targetDir(fallback: string): Promise<string>
  /** A template, by number or by name; an empty answer takes the first. */
  template(): Promise<TemplateName>
  /** Releases the terminal. */
  close(): void
}

/** A {@link Prompter} on node:readline; end of input (Ctrl+D) cancels. */
export function readlinePrompter(input: Readable, output: Writable): Prompter {
  const rl = createInterface({ input, output, terminal: false })
  // The iterator buffers lines, so answers piped in before their question are not lost.
  const lines = rl[Symbol.asyncIterator]()
  const ask = async (question: string): Promise<string> => {
    output.write(question)
    const line = await lines.next()
    if (line.done) throw new CreateDuetError('CANCELLED', 'Cancelled.')
    return String(line.value).trim()
  }
  return {
    async targetDir(fallback) {
      return (await ask(`Project folder (${fallback}): `)) || fallback
    },
    async template() {
      const menu = TEMPLATES.map(
        (t, i) => `  ${i + 1}. ${t.padEnd(10)} ${TEMPLATE_DESCRIPTIONS[t]}`,
      )
      output.write(`Templates:\n${menu.join('\n')}\n`)
      for (;;) {
        const answer = (await ask(`Template [1-${TEMPLATES.length}] (1): `)).toLowerCase()
        if (!answer) return TEMPLATES[0]
        const byNumber = TEMPLATES[Number(answer) - 1]
        const chosen = byNumber ?? TEMPLATES.find((t) => t === answer)
        if (chosen) return chosen
        output.write(`"${answer}" is not a template.\n`)
      }
    },
    close: () => rl.close(),
  }
}
