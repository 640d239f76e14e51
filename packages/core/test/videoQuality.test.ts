import { describe, expect, it } from 'vitest'
import { chooseVideoQuality, NO_VIDEO_QUALITY, videoQualityFor } from '../src/peer/videoQuality'

describe('video quality choices', () => {
  it('should give a peer its own choice over the one for everybody', () => {
    const all = chooseVideoQuality(NO_VIDEO_QUALITY, { maxBitrate: 500_000 })
    const settings = chooseVideoQuality(all, { maxBitrate: 150_000 }, 'bob')
    expect(videoQualityFor(settings, 'bob')).toEqual({ maxBitrate: 150_000 })
    expect(videoQualityFor(settings, 'ann')).toEqual({ maxBitrate: 500_000 })
  })

  it('should replace every per-peer choice when the user chooses for everybody', () => {
    const mine = chooseVideoQuality(NO_VIDEO_QUALITY, { maxFramerate: 5 }, 'bob')
    const settings = chooseVideoQuality(mine, { scaleResolutionDownBy: 2 })
    expect(videoQualityFor(settings, 'bob')).toEqual({ scaleResolutionDownBy: 2 })
  })

  it('should leave the browser its own encoding until the user chooses', () => {
    expect(videoQualityFor(NO_VIDEO_QUALITY, 'bob')).toBeNull()
  })
})
