import { fromCallback } from 'xstate'
import { startWhenLoaded } from '../shared/startWhenLoaded'
import type { AudioLevelsReport, AudioMeterInput } from './audioSources'

/**
 * The call's audio meter (see `meterAudio`), its code fetched when the call enters a room: a
 * page that only previews does not load it.
 */
export const audioMeter = fromCallback<{ type: string }, AudioMeterInput, AudioLevelsReport>(
  ({ input, sendBack }) => {
    if (input.intervalMs <= 0) return
    return startWhenLoaded(
      () => import('./audioMeter'),
      ({ meterAudio }) => meterAudio(input, sendBack),
    )
  },
)
