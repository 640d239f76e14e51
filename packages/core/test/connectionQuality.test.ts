import { describe, expect, it } from 'vitest'
import {
  connectionQuality,
  QUALITY_THRESHOLDS,
  type QualitySample,
} from '../src/stats/connectionQuality'

// One sample a second, as the call takes them by default; `received` counts RTP packets so far.
function sample(figures: Partial<QualitySample> & { received?: number } = {}): QualitySample {
  const { received = 100, ...rest } = figures
  return {
    roundTripTimeMs: 2,
    jitterMs: 3,
    intervalLossRatio: 0,
    availableOutgoingBitrate: 2_000_000,
    packetCounters: { audio: { lost: 0, received } },
    ...rest,
  }
}

// A call sending 50 audio packets a second.
const flowing = (count: number, figures: Partial<QualitySample> = {}) =>
  Array.from({ length: count }, (_, index) => sample({ ...figures, received: 50 * (index + 1) }))

describe('connectionQuality', () => {
  it('should know nothing before the first sample', () => {
    expect(connectionQuality([])).toBeNull()
  })

  it('should call a clean loopback call excellent', () => {
    expect(connectionQuality(flowing(3))).toBe('excellent')
  })

  it('should let the worst figure decide', () => {
    const { excellent, good } = QUALITY_THRESHOLDS
    expect(connectionQuality(flowing(3, { roundTripTimeMs: excellent.rttMs }))).toBe('good')
    expect(connectionQuality(flowing(3, { roundTripTimeMs: good.rttMs }))).toBe('poor')
    expect(connectionQuality(flowing(3, { jitterMs: excellent.jitterMs }))).toBe('good')
    expect(connectionQuality(flowing(3, { jitterMs: good.jitterMs }))).toBe('poor')
    expect(connectionQuality(flowing(3, { intervalLossRatio: excellent.loss }))).toBe('good')
    expect(connectionQuality(flowing(3, { intervalLossRatio: good.loss }))).toBe('poor')
    const scarce = { availableOutgoingBitrate: good.minOutgoingBitrate - 1 }
    expect(connectionQuality(flowing(3, scarce))).toBe('poor')
  })

  it('should average loss over the window, so one bad second does not make the call poor', () => {
    const samples = flowing(3)
    samples[1] = { ...samples[1]!, intervalLossRatio: 0.12 }
    expect(connectionQuality(samples)).toBe('good')
  })

  it('should leave out figures the stack does not give', () => {
    const bare = { roundTripTimeMs: null, jitterMs: null, intervalLossRatio: null }
    expect(connectionQuality(flowing(3, { ...bare, availableOutgoingBitrate: null }))).toBe(
      'excellent',
    )
  })

  it('should call a connection lost once no packet arrived for two periods after some had', () => {
    const stalled = [sample({ received: 500 }), sample({ received: 600 })]
    stalled.push(sample({ received: 600 }))
    expect(connectionQuality(stalled)).toBe('excellent')
    stalled.push(sample({ received: 600 }))
    expect(connectionQuality(stalled)).toBe('lost')
  })

  it('should not call a call that never carried media lost', () => {
    expect(
      connectionQuality([
        sample({ received: 0 }),
        sample({ received: 0 }),
        sample({ received: 0 }),
      ]),
    ).toBe('excellent')
  })
})
