import { createClient } from '@redis/client'

/** Watches a Redis's slow log: every command slower than 0.5 ms is logged and read back. */
export async function watchSlowlog(
  url: string,
): Promise<{ worstMs(): Promise<number>; close(): Promise<void> }> {
  const client = createClient({ url })
  await client.connect()
  await client.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', '500'])
  await client.sendCommand(['CONFIG', 'SET', 'slowlog-max-len', '1024'])
  await client.sendCommand(['SLOWLOG', 'RESET'])
  return {
    async worstMs() {
      const entries = (await client.sendCommand(['SLOWLOG', 'GET', '1024'])) as unknown[][]
      const micros = entries.map((entry) => Number(entry[2]))
      return Math.max(0, ...micros) / 1000
    },
    close: () => client.close(),
  }
}
