import { describe, expect, it } from 'vitest'
import { GROUP_VIDEO_UPLINK_BPS, videoBitrateCap } from '../src'

// #16: a mesh sends one copy of our video per peer; the default keeps six people on one uplink.
describe('videoBitrateCap', () => {
  it('should leave a two-person call uncapped, whatever the override', () => {
    expect(videoBitrateCap(0)).toBeNull()
    expect(videoBitrateCap(1)).toBeNull()
    expect(videoBitrateCap(1, 300_000)).toBeNull()
  })

  it('should share the default uplink among the peers, at most 1 Mbps each', () => {
    expect([2, 3, 4, 5].map((peers) => videoBitrateCap(peers))).toEqual([
      1_000_000, 833_333, 625_000, 500_000,
    ])
    for (let peers = 2; peers <= 15; peers += 1) {
      expect((videoBitrateCap(peers) ?? 0) * peers).toBeLessThanOrEqual(GROUP_VIDEO_UPLINK_BPS)
    }
  })

  it('should take the call option over the default, and none at all with false', () => {
    expect(videoBitrateCap(4, 300_000)).toBe(300_000)
    expect(videoBitrateCap(4, false)).toBeNull()
  })
})
