import { execFileSync } from 'node:child_process'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { canCutNetwork } from '../packages/core/test/support/network'
import { openTab, waitForStatus } from './browser'
import type { Stage } from './stage'

// What the quality tests share: two demo tabs in a call, and what a person reads off the page.

// Every tab connectTabs opened, until closeTabs: each test's call ends with it, so the next one
// does not share two cores with four video tabs.
const opened: Page[] = []

/** Closes the tabs (and their browser contexts) that connectTabs opened. */
export async function closeTabs(): Promise<void> {
  for (const tab of opened.splice(0))
    await tab
      .context()
      .close()
      .catch(() => {})
}

/** Opens two tabs on the same room (with the query given), joins both and waits until they are connected. */
export async function connectTabs(
  stage: Stage,
  room: string,
  query = '',
): Promise<{ alice: Page; bob: Page }> {
  const url = `${stage.server.url}/room/${room}${query}`
  const alice = await openTab(await stage.newContext(), 'alice')
  const bob = await openTab(await stage.newContext(), 'bob')
  opened.push(alice, bob)
  // Alice waits alone first, so Bob's join is the one that connects them.
  await alice.goto(url)
  await alice.getByRole('button', { name: 'Join', exact: true }).click()
  await waitForStatus(alice, 'ready')
  await bob.goto(url)
  await bob.getByRole('button', { name: 'Join', exact: true }).click()
  await Promise.all([waitForStatus(alice, 'connected'), waitForStatus(bob, 'connected')])
  return { alice, bob }
}

/** Whether the remote tile shows the speaking ring. */
export const remoteSpeaking = (tab: Page) =>
  tab.getByTestId('remote-video').getAttribute('data-speaking')

/** The quality the remote peer's bars show. */
export const shownQuality = (tab: Page) =>
  tab.getByTestId('peer-quality').getAttribute('data-quality')

/** A line of the stats overlay (opened first with the Stats button). */
export async function statsLine(tab: Page, label: string): Promise<string | null> {
  const overlay = tab.getByTestId('stats')
  if (!(await overlay.isVisible())) await tab.getByRole('button', { name: 'Stats' }).click()
  return overlay
    .locator('div', { has: tab.locator('dt', { hasText: label }) })
    .locator('dd')
    .textContent()
}

/** Video bits per second the page's open connection sends, measured over `windowMs` from its counters. */
export async function measuredVideoBitrate(tab: Page, windowMs = 1000): Promise<number> {
  return tab.evaluate(async (ms) => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
    const pc = pcs.find((candidate) => candidate.connectionState === 'connected')
    if (!pc) return Number.POSITIVE_INFINITY
    const sent = async () => {
      let bytes = 0
      for (const stat of (await pc.getStats()).values()) {
        if (stat.type === 'outbound-rtp' && stat.kind === 'video') {
          bytes += (stat.bytesSent ?? 0) + (stat.headerBytesSent ?? 0)
        }
      }
      return { bytes, at: performance.now() }
    }
    const before = await sent()
    await new Promise((resolve) => setTimeout(resolve, ms))
    const after = await sent()
    return ((after.bytes - before.bytes) * 8 * 1000) / (after.at - before.at)
  }, windowMs)
}

/** Polls until the remote tile's speaking flag reads `value`, logging how long it took. */
export async function expectRemoteSpeaking(tab: Page, value: 'true' | 'false', what: string) {
  const from = Date.now()
  await expect.poll(() => remoteSpeaking(tab), { timeout: 10_000, interval: 50 }).toBe(value)
  console.log(`[quality] ${what}: ${Date.now() - from} ms`)
}

const nft = (...args: string[]) => execFileSync('nft', args, { stdio: 'pipe' })

/** Drops `percent` % of all UDP at random (both peers' media and ICE), as a lossy network would. */
export function dropUdpAtRandom(percent: number) {
  if (!canCutNetwork) throw new Error('refusing to drop packets outside the test namespace')
  nft('add', 'table', 'inet', 'duet_loss')
  nft('add', 'chain', 'inet', 'duet_loss', 'in', '{ type filter hook input priority 0; }')
  nft(
    'add',
    'rule',
    'inet',
    'duet_loss',
    'in',
    'meta',
    'l4proto',
    'udp',
    'numgen',
    'random',
    'mod',
    '100',
    '<',
    String(percent),
    'drop',
  )
}

/** Lets every packet through again. */
export function stopDropping() {
  if (!canCutNetwork) return
  try {
    nft('delete', 'table', 'inet', 'duet_loss')
  } catch {
    // Not dropping.
  }
}

// The stats entries and fields the core's summary reads: a recording small enough to keep.
const RECORDED_FIELDS: Record<string, string[]> = {
  transport: ['selectedCandidatePairId'],
  'candidate-pair': [
    'localCandidateId',
    'remoteCandidateId',
    'state',
    'nominated',
    'currentRoundTripTime',
    'availableOutgoingBitrate',
    'bytesReceived',
    'bytesSent',
  ],
  'local-candidate': ['candidateType', 'protocol', 'networkType'],
  'remote-candidate': ['candidateType', 'protocol'],
  'inbound-rtp': [
    'kind',
    'codecId',
    'packetsReceived',
    'packetsLost',
    'jitter',
    'framesDecoded',
    'framesDropped',
  ],
  'outbound-rtp': ['kind', 'codecId', 'bytesSent', 'headerBytesSent', 'packetsSent'],
  'remote-inbound-rtp': ['kind', 'localId', 'packetsLost', 'fractionLost', 'roundTripTime'],
  codec: ['mimeType'],
}

/** The page's connected connection's stats, cut to what the core's summary reads. */
export function recordStats(tab: Page): Promise<Record<string, unknown>[]> {
  return tab.evaluate(async (fields) => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
    const pc = pcs.find(
      (candidate) => candidate.signalingState !== 'closed' && candidate.remoteDescription,
    )
    if (!pc) return []
    const kept: Record<string, unknown>[] = []
    for (const stat of (await pc.getStats()).values()) {
      const wanted = fields[stat.type]
      if (!wanted) continue
      const entry: Record<string, unknown> = { id: stat.id, type: stat.type }
      for (const field of wanted) if (stat[field] !== undefined) entry[field] = stat[field]
      kept.push(entry)
    }
    return kept
  }, RECORDED_FIELDS)
}
