import { fromCallback } from 'xstate'
import type { AudioLevelsReport, AudioMeterInput } from './audioSources'

/**
 * The call's audio meter (see `meterAudio`), its code fetched when the call enters a room: a
 * page that only previews does not load it. Starts once loaded, unless stopped first.
 */
export const audioMeter = fromCallback<{ type: string }, AudioMeterInput, AudioLevelsReport>(
  ({ input, sendBack }) => {
    if (input.intervalMs <= 0) return
    let stop: (() => void) | null = null
    let stopped = false
    // A chunk that fails to load leaves the call without levels, nothing else.
    import('./audioMeter').then(
      ({ meterAudio }) => {
        if (!stopped) stop = meterAudio(input, sendBack)
      },
      () => {},
    )
    return () => {
      stopped = true
      stop?.()
    }
  },
)
