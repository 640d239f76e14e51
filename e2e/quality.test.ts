import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CoturnProcess, startCoturn } from '../packages/server/test/support/coturn'
import {
  connectTabs,
  expectRemoteSpeaking,
  measuredVideoBitrate,
  shownQuality,
  statsLine,
} from './quality'
import { useStage } from './stage'

// Call quality as a person sees it in the demo (issue #17): who speaks, how good the
// connection is, and the codec and bitrate it runs at. Chromium's fake microphone beeps; its
// fake camera sends a test pattern. Needs the built demo and the loopback-only namespace.

describe('call quality in the demo', () => {
  const stage = useStage()

  it('should show the speaking ring while the other side beeps, and drop it when they mute', async () => {
    const { alice, bob } = await connectTabs(stage, 'speaking01')
    await expectRemoteSpeaking(alice, 'true', 'bob speaking seen by alice')
    await bob.getByRole('button', { name: 'Mute microphone' }).click()
    await expectRemoteSpeaking(alice, 'false', 'bob muted → speaking off at alice')
    await bob.getByRole('button', { name: 'Unmute microphone' }).click()
    await expectRemoteSpeaking(alice, 'true', 'bob unmuted → speaking on again at alice')
  })

  it('should show an undisturbed loopback call as excellent, direct, with its codecs', async () => {
    const { alice } = await connectTabs(stage, 'quality01')
    await expect.poll(() => shownQuality(alice), { timeout: 10_000 }).toBe('excellent')
    expect(await alice.getByTestId('peer-route').count()).toBe(0)
    await expect.poll(() => statsLine(alice, 'Audio codec'), { timeout: 5000 }).toBe('audio/opus')
  })

  it('should negotiate VP9 when the call prefers it', async () => {
    const { alice, bob } = await connectTabs(stage, 'vp9codec01', '?codec=video/VP9')
    for (const tab of [alice, bob]) {
      await expect.poll(() => statsLine(tab, 'Video codec'), { timeout: 10_000 }).toBe('video/VP9')
    }
  })

  it('should bring the video sent under about 150 kbit/s within seconds of the Low preset', async () => {
    const { alice } = await connectTabs(stage, 'bitrate01')
    // Let the bandwidth estimate climb first, so the cap has something to cut.
    await expect
      .poll(() => measuredVideoBitrate(alice), { timeout: 15_000 })
      .toBeGreaterThan(300_000)
    console.log(
      `[quality] video sent before the cap: ${Math.round((await measuredVideoBitrate(alice)) / 1000)} kbit/s`,
    )
    const from = Date.now()
    await alice.getByLabel('Video quality').selectOption('Low (150 kbit/s)')
    await expect
      .poll(() => measuredVideoBitrate(alice), { timeout: 10_000, interval: 0 })
      .toBeLessThan(165_000)
    const after = await measuredVideoBitrate(alice, 2000)
    console.log(
      `[quality] Low preset → under 165 kbit/s after ${Date.now() - from} ms; then ${Math.round(after / 1000)} kbit/s over 2 s`,
    )
    expect(after).toBeLessThan(165_000)
  })
})

describe('a call forced through TURN', () => {
  let coturn: CoturnProcess
  const secret = 'quality-turn-secret'
  beforeAll(async () => {
    coturn = await startCoturn(secret)
  })
  afterAll(() => coturn?.stop())
  // The stage starts after coturn: its signaling server hands out credentials for it.
  const stage = useStage({
    signaling: {
      get turnSecret() {
        return secret
      },
      get turnUrls() {
        return [coturn.url]
      },
    },
  })

  it('should show relay when forceRelay sends everything through the TURN server', async () => {
    const { alice, bob } = await connectTabs(stage, 'relay01', '?relay')
    for (const tab of [alice, bob]) {
      await expect
        .poll(() => tab.getByTestId('peer-route').textContent(), { timeout: 10_000 })
        .toBe('relay')
      await expect
        .poll(() => statsLine(tab, 'Candidate'), { timeout: 5000 })
        .toBe('relay (through TURN)')
    }
  })
})
