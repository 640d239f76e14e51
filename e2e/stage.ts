import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { type DemoServer, type DemoServerOptions, startDemoServer } from '../apps/demo/server/app'
import { type LaunchOptions, launchChromium } from './browser'

type SignalingOptions = NonNullable<DemoServerOptions['signaling']>

const staticDir = fileURLToPath(new URL('../apps/demo/dist', import.meta.url))

/** The demo (built client and signaling server) on an ephemeral loopback port. */
export const startDemo = (signaling?: SignalingOptions): Promise<DemoServer> =>
  startDemoServer({ port: 0, host: '127.0.0.1', staticDir, ...(signaling ? { signaling } : {}) })

/** What a describe block gets from {@link useStage}. */
export interface Stage {
  /** The demo (built client and signaling server) on an ephemeral loopback port. */
  readonly server: DemoServer
  /** A browser context of its own (separate storage, like another browser), closed with the stage. */
  newContext(): Promise<BrowserContext>
}

/**
 * The demo server and one Chromium for a describe block: started before its tests, closed after
 * them with every context opened on them. Call it first in the block, so its `beforeAll` runs
 * before the block's own.
 */
export function useStage(
  options: {
    chromium?: LaunchOptions
    context?: BrowserContextOptions
    /** Signaling options of the demo server (e.g. a short resume window). */
    signaling?: SignalingOptions
  } = {},
): Stage {
  let server: DemoServer | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the stage is only up from beforeAll on')
    return value
  }

  beforeAll(async () => {
    server = await startDemo(options.signaling)
    browser = await launchChromium(options.chromium)
  })

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {})
    await browser?.close()
    await server?.close()
  })

  return {
    get server() {
      return started(server)
    },
    async newContext() {
      const context = await started(browser).newContext(options.context)
      contexts.push(context)
      return context
    },
  }
}
