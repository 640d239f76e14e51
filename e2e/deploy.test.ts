import type { Browser, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { turnCredential } from '../packages/server/src/auth/turnCredentials'
import { addressedClient } from '../packages/server/test/support/addressedClient'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/lib/chromium.mjs'
import { framesDecoded, openTab, waitForStatus } from './browser'
import { type DeployStack, startDeployStack } from './deployStack'

// #19: the deployment recipe (deploy/, docs/guide/deploy.md) on loopback: a call over https and
// wss through nginx, each tab on another duet-server node, the nodes sharing Redis.

const joinButton = (page: Page) => page.getByRole('button', { name: 'Join', exact: true })
const peersOn = (metrics: string) => Number(/^duet_peers (\d+)$/m.exec(metrics)?.[1] ?? Number.NaN)

describe('the deployment recipe: nginx with TLS in front of two nodes on Redis', () => {
  let stack: DeployStack
  let browser: Browser
  const sockets: { disconnect(): unknown }[] = []

  beforeAll(async () => {
    stack = await startDeployStack()
    // The certificate is self-signed, made by the stack: trusted for this browser only.
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'],
    })
  }, 90_000)

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect()
    await browser?.close()
    await stack?.close()
  })

  it('should connect a call over https and wss with each tab on its own node, and decode video', async () => {
    const alice = await openTab(await browser.newContext(), 'alice')
    const bob = await openTab(await browser.newContext(), 'bob')
    await alice.goto(`${stack.url}/`)
    await alice.waitForURL(/\/room\/[a-z0-9]{10}$/)
    expect(alice.url().startsWith('https://')).toBe(true)
    await joinButton(alice).click()
    await waitForStatus(alice, 'ready')
    await bob.goto(alice.url())
    await joinButton(bob).click()
    await Promise.all([waitForStatus(alice, 'connected'), waitForStatus(bob, 'connected')])
    for (const page of [alice, bob]) {
      const before = await framesDecoded(page)
      await expect.poll(() => framesDecoded(page), { timeout: 10_000 }).toBeGreaterThan(before)
    }
    // Round robin without stickiness put one tab on each node; the room is whole through Redis.
    const metrics = await Promise.all(stack.nodes.map((node) => node.metrics()))
    expect(metrics.map(peersOn)).toEqual([1, 1])
  })

  /** Whether a node lets in a client from `localAddress` (optionally naming another address). */
  function connects(url: string, localAddress: string, forwardedFor?: string): Promise<boolean> {
    const client = addressedClient(url, localAddress, forwardedFor)
    sockets.push(client.socket)
    return client.connected
  }

  it('should count clients by the address nginx forwards, and believe X-Forwarded-For from nginx only', async () => {
    // Each node allows one connection per address, and each holds a tab from 127.0.0.1 now.
    const direct = `http://127.0.0.1:${stack.nodes[0]!.port}`
    expect(await connects(direct, '127.0.0.1')).toBe(false)
    // Through nginx, from an address of its own: counted as that address, not as nginx's.
    expect(await connects(stack.url, '127.0.0.5')).toBe(true)
    // A client naming 127.0.0.1 itself: nginx appends the real address, which is the one counted.
    expect(await connects(stack.url, '127.0.0.6', '127.0.0.1')).toBe(true)
    // Straight to a node, the header is the client's word only: ignored.
    expect(await connects(direct, '127.0.0.7', '127.0.0.1')).toBe(true)
  })

  it('should relay through coturn configured by deploy/turnserver.conf with a credential the nodes would hand out', async () => {
    // A blank page: the app would open a third socket from 127.0.0.1, past the nodes' limit.
    const page = await openTab(await browser.newContext(), 'turn')
    const { server } = turnCredential(
      { secret: stack.turn.secret, urls: [stack.turn.url], ttlSeconds: 600 },
      'peer-1',
    )
    const relayed = await page.evaluate(async (iceServer) => {
      const pc = new RTCPeerConnection({ iceServers: [iceServer], iceTransportPolicy: 'relay' })
      pc.createDataChannel('probe')
      const candidate = new Promise<string>((resolve) => {
        pc.onicecandidate = (event) => resolve(event.candidate?.type ?? 'none')
        setTimeout(() => resolve('timeout'), 8000)
      })
      await pc.setLocalDescription(await pc.createOffer())
      const type = await candidate
      pc.close()
      return type
    }, server)
    expect(relayed).toBe('relay')
  })
})
