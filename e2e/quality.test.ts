import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { turnCredential } from '../packages/server/src/auth/turnCredentials'
import { type CoturnProcess, startCoturn } from '../packages/server/test/support/coturn'
import { localDescriptions } from './browser'
import {
  closeTabs,
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
  afterEach(closeTabs)

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
})

// The fake camera's test pattern is mostly still and compresses to well under 150 kbit/s; noise
// cannot be predicted, so the encoder sends all the bandwidth lets it until the cap.
const noiseVideo = join(tmpdir(), 'duet-quality-noise-320x240.y4m')

function writeNoiseVideo(path: string) {
  const [width, height, frames] = [320, 240, 15]
  const frameBytes = (width * height * 3) / 2
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`)
  const parts = [header]
  for (let frame = 0; frame < frames; frame++) {
    parts.push(Buffer.from('FRAME\n'), randomBytes(frameBytes))
  }
  writeFileSync(path, Buffer.concat(parts))
}

describe('video quality steered from the demo', () => {
  beforeAll(() => writeNoiseVideo(noiseVideo))
  afterAll(() => rmSync(noiseVideo, { force: true }))
  const stage = useStage({ chromium: { fakeVideoFile: noiseVideo } })
  afterEach(closeTabs)

  it('should bring the video sent under about 150 kbit/s within seconds of the Low preset', async () => {
    const { alice } = await connectTabs(stage, 'bitrate01')
    // Let the bandwidth estimate climb first, so the cap has something to cut.
    await expect
      .poll(() => measuredVideoBitrate(alice), { timeout: 15_000 })
      .toBeGreaterThan(300_000)
    console.log(
      `[quality] video sent before the cap: ${Math.round((await measuredVideoBitrate(alice)) / 1000)} kbit/s`,
    )
    const negotiated = await localDescriptions(alice)
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
    // setParameters, not a new offer.
    expect(await localDescriptions(alice)).toBe(negotiated)
  })
})

describe('a call forced through TURN', () => {
  let coturn: CoturnProcess
  const secret = 'quality-turn-secret'
  beforeAll(async () => {
    coturn = await startCoturn(secret)
  })
  afterAll(() => coturn?.stop())
  // The stage starts after coturn: its signaling server hands every peer a credential for it
  // (static, as the demo has no sign-in for the server's own TURN grants).
  const stage = useStage({
    signaling: {
      get iceServers() {
        const turn = { secret, urls: [coturn.url], ttlSeconds: 3600 }
        return [turnCredential(turn, 'quality-e2e').server]
      },
    },
  })

  afterEach(closeTabs)

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
