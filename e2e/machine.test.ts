import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createMachineTimeline,
  describeProgress,
  type InspectionEvent,
  sourceName,
  type TimelineEntry,
} from '../apps/demo/src/machine'
import { diagramSource } from '../apps/demo/src/machine/diagramSource'
import { openTab, statusOf, waitForStatus } from './browser'
import { useStage } from './stage'

// Issue 6: the demo's live Machine panel. Needs the built client and, on our machines, a
// loopback-only network namespace: see e2e/README.md.
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url))
// The second tab runs the Svelte UI once the demo has one (`?ui=` falls back to Vue anyway).
const svelteUi = existsSync(new URL('../apps/demo/src/svelte/mount.ts', import.meta.url))

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })

/** What the panel shows for the call, beside what the page's own status says. */
async function panelCall(page: Page) {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-testid="machine-panel"]')
    const text = (id: string) => panel?.querySelector(`[data-testid="${id}"]`)?.textContent?.trim()
    // Mermaid ids each state's SVG group `<render id>-state-<diagram id>-<n>`.
    const highlighted = (diagram: string) =>
      [...(panel?.querySelectorAll(`[data-testid="${diagram}"] [data-active="true"]`) ?? [])]
        .map((node) => /-state-(.+)-\d+$/.exec(node.id)?.[1] ?? node.id)
        .sort()
    return {
      status: document.querySelector('[data-testid="call-status"]')?.textContent?.trim(),
      call: text('machine-active-call'),
      peers: [...(panel?.querySelectorAll('[data-testid="machine-active-peer"]') ?? [])].map(
        (peer) => ({ id: peer.getAttribute('data-peer-id'), state: peer.textContent?.trim() }),
      ),
      callNodes: highlighted('machine-diagram-call'),
      peerNodes: highlighted('machine-diagram-peer'),
    }
  })
}

/** The timeline as `who: what → state` lines (`·` when the event left the state as it was). */
const timelineText = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="machine-timeline"] li')]
      .map((row) => {
        const cell = (selector: string) => row.querySelector(selector)?.textContent?.trim()
        const state = cell('code')?.replace(/^→ /, '')
        const arrow = row.getAttribute('data-changed') === 'true' ? '→' : '·'
        return `${cell('time')} ${cell('.who')}: ${cell('.what')} ${arrow} ${state}`
      })
      .join('\n'),
  )

describe('the Machine panel during a call', () => {
  const stage = useStage({ context: { viewport: { width: 1000, height: 900 } } })
  const requested = new Map<Page, string[]>()
  let alice: Page
  let bob: Page

  async function tab(name: string): Promise<Page> {
    const page = await openTab(await stage.newContext(), name)
    const urls: string[] = []
    page.on('request', (request) => urls.push(request.url()))
    requested.set(page, urls)
    return page
  }
  const loadedMermaid = (page: Page) => requested.get(page)!.some((url) => /mermaid/i.test(url))

  beforeAll(async () => {
    alice = await tab('alice')
    bob = await tab('bob')
  })

  it('should start closed and leave Mermaid unloaded', async () => {
    await alice.goto(`${stage.server.url}/`)
    await alice.waitForURL(/\/room\/[a-z0-9]{10}$/)
    await waitForStatus(alice, 'media')
    await expect(button(alice, 'Machine').getAttribute('aria-expanded')).resolves.toBe('false')
    await expect(alice.getByTestId('machine-panel').isVisible()).resolves.toBe(false)
    expect(loadedMermaid(alice)).toBe(false)
  })

  it('should highlight the state the call and its peer reach', async () => {
    await button(alice, 'Join').click()
    await waitForStatus(alice, 'ready')
    await bob.goto(`${alice.url()}${svelteUi ? '?ui=svelte' : ''}`)
    await waitForStatus(bob, 'media')
    if (svelteUi)
      await expect(bob.evaluate(() => document.documentElement.dataset.ui)).resolves.toBe('svelte')
    await button(bob, 'Join').click()
    await Promise.all([waitForStatus(alice, 'connected'), waitForStatus(bob, 'connected')])

    for (const page of [alice, bob]) {
      await button(page, 'Machine').click()
      for (const diagram of ['machine-diagram-call', 'machine-diagram-peer']) {
        await page.locator(`[data-testid="${diagram}"][data-state="ready"]`).waitFor()
      }
      expect(loadedMermaid(page)).toBe(true)
      await expect
        .poll(() => panelCall(page))
        .toMatchObject({
          status: 'connected',
          call: 'room.connected',
          callNodes: ['call_room', 'call_room_connected'],
          peers: [{ id: expect.stringMatching(/.+/), state: 'connected.stable' }],
          peerNodes: ['peer_connected', 'peer_connected_stable'],
        })
    }
  })

  it('should tell the negotiation in plain words with the states it led to', async () => {
    // Bob joined second, so he offers (he finds Alice in the room) and Alice answers.
    await expect.poll(() => timelineText(bob)).toMatch(/offer sent/)
    const [bobs, alices] = await Promise.all([timelineText(bob), timelineText(alice)])
    expect(bobs).toMatch(/answer received/)
    expect(bobs).toMatch(/candidate sent/)
    expect(alices).toMatch(/offer received/)
    expect(alices).toMatch(/answer sent/)
    for (const text of [alices, bobs]) {
      // Cause before effect: the peer's connection comes up, then the call follows it.
      expect(text).toMatch(
        /: connection: connected → connected\.stable\n.*call: peer connected → room\.connected/,
      )
      expect(text).toMatch(/^\+\d+ ms call: call started → idle$/m)
    }
    await expect(alice.getByTestId('machine-progress').textContent()).resolves.toMatch(
      /Last event \+\d+ ms: .+ ago\./,
    )
    // Tall enough for the whole drawer: state line, both diagrams and the timeline.
    await alice.setViewportSize({ width: 1280, height: 1600 })
    await mkdir(artifacts, { recursive: true })
    await alice.getByTestId('machine-panel').screenshot({ path: `${artifacts}machine-panel.png` })
    await alice.setViewportSize({ width: 1000, height: 900 })
  })

  it('should show a diagram at full size with the active state scrolled into view', async () => {
    const diagram = alice.getByTestId('machine-diagram-call')
    await diagram.getByRole('button', { name: 'Full size call diagram' }).click()
    await expect(diagram.getAttribute('data-zoom')).resolves.toBe('true')
    await expect
      .poll(() =>
        diagram.evaluate((box) => {
          const scroller = box.querySelector('.machine-diagram-scroll')!.getBoundingClientRect()
          // The innermost active state (`room.connected`, not `room`): its ancestors enclose it.
          const active = [...box.querySelectorAll('[data-active="true"]')]
            .map((node) => node.getBoundingClientRect())
            .sort((a, b) => a.width * a.height - b.width * b.height)[0]!
          const svg = box.querySelector('svg')!.getBoundingClientRect()
          const inside = active.top >= scroller.top && active.bottom <= scroller.bottom
          return { wider: svg.width > scroller.width, inside }
        }),
      )
      .toEqual({ wider: true, inside: true })
  })

  it('should follow the call back to room.waiting when the other tab hangs up', async () => {
    // The drawer covers the sidebar (its own toggle included) and closes from inside.
    await bob.getByTestId('machine-panel').getByRole('button', { name: 'Close' }).click()
    await expect(button(bob, 'Machine').getAttribute('aria-expanded')).resolves.toBe('false')
    await expect(bob.getByTestId('machine-panel').isVisible()).resolves.toBe(false)
    await button(bob, 'Hang up').click()
    await waitForStatus(alice, 'ready')
    await expect
      .poll(() => panelCall(alice))
      .toMatchObject({
        status: 'ready',
        call: 'room.waiting',
        callNodes: ['call_room', 'call_room_waiting'],
        peers: [],
        peerNodes: [],
      })
    expect(await timelineText(alice)).toMatch(/call: peer left → room\.waiting/)
    await expect
      .poll(() => panelCall(bob))
      .toMatchObject({ call: 'ended', callNodes: ['call_ended'] })
    expect(await statusOf(bob)).toBe('ended')
  })
})

// The pure parts, on synthetic inspection events: cheap, and no browser needed.
describe('the machine timeline', () => {
  type Ref = { sessionId: string; id: string }
  type Event = { type: string; [key: string]: unknown }
  const root: Ref = { sessionId: 'x:0', id: 'x:0' }
  const peer: Ref = { sessionId: 'x:5', id: 'peer:p1' }
  const connection: Ref = { sessionId: 'x:6', id: 'connection' }
  // Only the fields the timeline reads; real ones come from xstate (see the browser test).
  const inspection = (fields: object) =>
    ({ rootId: root.sessionId, ...fields }) as unknown as InspectionEvent
  const delivered = (actorRef: Ref, event: Event, sourceRef?: Ref) =>
    inspection({ type: '@xstate.event', actorRef, sourceRef, event })
  const processed = (actorRef: Ref, event: Event, value: unknown, status = 'active') =>
    inspection({
      type: '@xstate.snapshot',
      actorRef,
      event,
      snapshot: { status, value, children: { 'peer:p1': {} } },
    })
  /** Delivers and processes at once, as for an event with no knock-on effects. */
  const run = (actorRef: Ref, event: Event, value: unknown) => [
    delivered(actorRef, event),
    processed(actorRef, event, value),
  ]
  const rows = (entries: readonly TimelineEntry[]) =>
    entries.map(
      (e) => `${e.at} ${sourceName(e.source)}: ${e.label} ${e.changed ? '→' : '·'} ${e.state}`,
    )

  it('should map every state path to the id toMermaid gave it', () => {
    const call = diagramSource('call')
    expect(call.ids.get('')).toBe('call')
    expect(call.ids.get('room.waiting')).toBe('call_room_waiting')
    expect(call.text).toContain('state "waiting" as call_room_waiting')
    expect(diagramSource('peer').ids.get('connected.interrupted')).toBe(
      'peer_connected_interrupted',
    )
  })

  it('should list events in plain words, cause before effect, with the state each led to', async () => {
    let clock = 0
    const timeline = createMachineTimeline({ now: () => clock })
    const inspect = (events: InspectionEvent[]) => events.forEach(timeline.inspect)
    inspect(run(root, { type: 'xstate.init' }, 'idle'))
    clock = 40
    const negotiating = { negotiating: 'new' }
    inspect(run(peer, { type: 'xstate.init' }, negotiating))
    inspect(run(peer, { type: 'PEER.STATS' }, negotiating)) // the call's to list (it hides stats)
    const offer = { type: 'PEER.SIGNAL', signal: { type: 'offer', sdp: '' } }
    inspect(run(root, offer, { room: 'offering' }))
    clock = 90
    // xstate reports the peer's snapshot after the call processed what the peer told it.
    const pcState = { type: 'PC.STATE', state: 'failed' }
    const status = { type: 'PEER.STATUS', peerId: 'p1', status: 'reconnecting' }
    const restart = { type: 'CALL.RESTART_ICE' }
    inspect([
      delivered(peer, pcState),
      delivered(root, status, peer),
      processed(root, status, { room: { reconnecting: 'restartingIce' } }),
      delivered(connection, restart, peer),
      processed(peer, pcState, { reconnecting: 'restarting' }),
    ])
    await Promise.resolve()
    expect(rows(timeline.entries)).toEqual([
      '0 call: call started → idle',
      '40 peer p1: negotiation started → negotiating.new',
      '40 call: offer sent → room.offering',
      '90 peer p1: connection: failed → reconnecting.restarting',
      '90 call: peer reconnecting → room.reconnecting.restartingIce',
      '90 peer p1: ICE restart · reconnecting.restarting',
    ])
    expect(timeline.activeStates).toEqual({
      call: {
        state: 'room.reconnecting.restartingIce',
        paths: ['room', 'room.reconnecting', 'room.reconnecting.restartingIce'],
      },
      peers: [
        {
          peerId: 'p1',
          state: 'reconnecting.restarting',
          paths: ['reconnecting', 'reconnecting.restarting'],
        },
      ],
    })
    clock = 9000
    expect(describeProgress(timeline.getSnapshot(), timeline.elapsed())).toEqual({
      stuck: true,
      text: expect.stringMatching(
        /^Stuck\? call in room\.reconnecting\.restartingIce for 8\.9 s; peer p1 in reconnecting\.restarting for 8\.9 s\. Last event/,
      ),
    })
    inspect([processed(peer, { type: 'xstate.stop' }, { reconnecting: 'restarting' }, 'stopped')])
    expect(timeline.activeStates.peers).toEqual([])
  })

  it('should keep only the last entries', () => {
    const timeline = createMachineTimeline({ limit: 2 })
    for (const type of ['PEER.JOINED', 'PEER.LEFT', 'CALL.HANG_UP']) {
      run(root, { type }, 'ready').forEach(timeline.inspect)
    }
    expect(timeline.entries.map((e) => e.label)).toEqual(['peer left', 'hung up'])
  })
})
