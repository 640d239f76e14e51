import { afterEach, describe, expect, it } from 'vitest'
import { openTab } from './browser'
import { closeTabs, connectTabs, statsLine } from './quality'
import { useStage } from './stage'

// Safari on iOS encodes H.264 in hardware and older Safari offers nothing else: a call that
// filtered H.264 out of its offers would fail or burn battery there. Duet filters no codec;
// this holds it to that in Chromium, whose offer must keep every video codec it can send.
// Needs the built demo and, as root, the loopback-only namespace: see e2e/README.md.

interface ProbeWindow {
  __pcs: RTCPeerConnection[]
}

describe('the video codecs a tab offers', () => {
  const stage = useStage()
  afterEach(closeTabs)

  it('should offer every codec Chromium can send, H.264 included', async () => {
    const tab = await openTab(await stage.newContext(), 'tab')
    await tab.goto(`${stage.server.url}/`)
    // The warm-up connection makes its offer while the preview starts: no second tab needed.
    const offer = await tab
      .waitForFunction(
        () =>
          (window as unknown as ProbeWindow).__pcs.find(
            (pc) => pc.localDescription?.type === 'offer',
          )?.localDescription?.sdp,
        undefined,
        { timeout: 15_000 },
      )
      .then((handle) => handle.jsonValue() as Promise<string>)
    const canSend = await tab.evaluate(() => [
      ...new Set(RTCRtpSender.getCapabilities('video')?.codecs.map((codec) => codec.mimeType)),
    ])
    const video = offer.slice(offer.indexOf('m=video'))
    const offered = new Set(
      [...video.matchAll(/^a=rtpmap:\d+ ([\w-]+)\/90000/gm)].map((match) => `video/${match[1]}`),
    )
    console.log(`Chromium offers: ${[...offered].join(', ')}`)
    expect(canSend).toContain('video/H264')
    for (const mimeType of canSend) expect(offered).toContain(mimeType)
  })

  // Issue #17: `preferredCodecs` (the demo's ?codec=) puts VP9 first before negotiation.
  it('should negotiate VP9 when the call prefers it', async () => {
    const { alice, bob } = await connectTabs(stage, 'vp9codec01', '?codec=video/VP9')
    for (const tab of [alice, bob]) {
      await expect.poll(() => statsLine(tab, 'Video codec'), { timeout: 10_000 }).toBe('video/VP9')
    }
  })
})
