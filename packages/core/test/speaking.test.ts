import { describe, expect, it } from 'vitest'
import {
  activeSpeakerOf,
  levelBetween,
  nextSpeaking,
  SILENT,
  SPEAKING_THRESHOLDS,
  type SpeakingState,
} from '../src/stats/speaking'

// Levels every 100 ms, as the call's meter samples them.
function run(levels: number[]): boolean[] {
  let state: SpeakingState = SILENT
  return levels.map((level, index) => {
    state = nextSpeaking(state, level, 1000 + index * 100)
    return state.speaking
  })
}

describe('speaking', () => {
  it('should start speaking at the start threshold and not below it', () => {
    expect(run([0.02, 0.025, 0.029])).toEqual([false, false, false])
    expect(run([0.005, SPEAKING_THRESHOLDS.start])).toEqual([false, true])
  })

  it('should keep speaking through the short pauses between words', () => {
    // A pause of 300 ms is shorter than the hold: the flag stays on.
    expect(run([0.1, 0.002, 0.002, 0.002, 0.1])).toEqual([true, true, true, true, true])
  })

  it('should stop once the level stays below the stop threshold for the hold time', () => {
    const flags = run([0.1, ...Array(10).fill(0.001)])
    const stoppedAt = flags.indexOf(false)
    expect(stoppedAt * 100).toBe(SPEAKING_THRESHOLDS.holdMs)
    expect(flags.slice(stoppedAt).every((speaking) => !speaking)).toBe(true)
  })

  it('should not start on a level between the two thresholds, nor stop on one', () => {
    const between = (SPEAKING_THRESHOLDS.start + SPEAKING_THRESHOLDS.stop) / 2
    expect(run([between, between, between])).toEqual([false, false, false])
    expect(run([0.1, ...Array(10).fill(between)]).every(Boolean)).toBe(true)
  })

  it('should draw the RMS level between two readings of the energy counters', () => {
    // A 0.5 full-scale tone for 20 ms of a 100 ms window: sqrt(0.25 * 0.02 / 0.1).
    expect(
      levelBetween({ energy: 1, duration: 10 }, { energy: 1.005, duration: 10.1 }),
    ).toBeCloseTo(Math.sqrt(0.05))
    expect(levelBetween(null, { energy: 1, duration: 10 })).toBeNull()
    expect(levelBetween({ energy: 1, duration: 10 }, { energy: 1, duration: 10 })).toBeNull()
  })

  it('should keep the active speaker while they speak, then pick the loudest one speaking', () => {
    const sources = new Map([
      ['ann', { level: 0.1, speaking: true }],
      ['bob', { level: 0.3, speaking: true }],
    ])
    expect(activeSpeakerOf(sources, null)).toBe('bob')
    expect(activeSpeakerOf(sources, 'ann')).toBe('ann')
    sources.set('ann', { level: 0, speaking: false })
    expect(activeSpeakerOf(sources, 'ann')).toBe('bob')
    sources.set('bob', { level: 0, speaking: false })
    expect(activeSpeakerOf(sources, 'bob')).toBeNull()
  })
})
