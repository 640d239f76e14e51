import type { Env } from '../config/cliConfig'
import type { TextSink } from './logger'

/**
 * A sink that turns each JSON log line into pino-pretty's coloured, indented form before
 * writing it to `sink`: for a person reading a terminal. Loaded only then, so a server whose
 * logs go to a file or a shipper never loads it.
 */
export async function prettySink(sink: TextSink, env: Env): Promise<TextSink> {
  const { prettyFactory } = await import('pino-pretty')
  const prettify = prettyFactory({
    // https://no-color.org: any value turns colour off.
    colorize: env.NO_COLOR === undefined,
    translateTime: 'SYS:HH:MM:ss.l',
  })
  return { write: (line) => sink.write(prettify(line)), isTTY: true }
}
