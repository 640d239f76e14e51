import { afterEach, describe, expect, it, vi } from 'vitest'

/** Props the suite gives the binding's `DuetVideo`; `class` is an attribute it must pass on. */
export interface VideoProps {
  stream: MediaStream | null
  muted?: boolean
  class?: string
}

/** A `DuetVideo` the binding's Testing Library mounted. */
export interface MountedVideo {
  /** Where it rendered: the suite looks for the `<video>` inside. */
  container: Element
  /** Sets new props and resolves once the framework re-rendered. */
  rerender(props: VideoProps): Promise<void>
  /** The arguments of every autoplay-blocked signal so far, one array per signal. */
  autoplayBlocked(): unknown[][]
}

/** What {@link videoContract} needs from a binding. */
export interface VideoAdapter {
  /** How the component signals a refused autoplay, for the test name: `emit autoplay-blocked`. */
  autoplayBlockedSignal: string
  mount(props: VideoProps): MountedVideo
  /** Unmounts everything mounted so far. */
  cleanup(): void
}

function videoOf(container: Element): HTMLVideoElement {
  const video = container.querySelector('video')
  if (!video) throw new Error('no <video> rendered')
  return video
}

/** The binding's `DuetVideo` component: playing, muting and swapping a `MediaStream`. */
export function videoContract(adapter: VideoAdapter): void {
  describe('DuetVideo', () => {
    afterEach(() => {
      adapter.cleanup()
      vi.restoreAllMocks()
    })

    it('should play the given stream inline and automatically', () => {
      const stream = new MediaStream()
      const play = vi.spyOn(HTMLMediaElement.prototype, 'play')
      const video = videoOf(adapter.mount({ stream }).container)
      expect(video.srcObject).toBe(stream)
      expect(video.autoplay).toBe(true)
      expect(video.hasAttribute('playsinline')).toBe(true)
      expect(play).toHaveBeenCalledTimes(1)
    })

    it('should be muted only when asked (local preview)', async () => {
      const stream = new MediaStream()
      const { container, rerender } = adapter.mount({ stream })
      expect(videoOf(container).muted).toBe(false)
      await rerender({ stream, muted: true })
      expect(videoOf(container).muted).toBe(true)
    })

    it('should show the new stream when the stream prop changes, and nothing for null', async () => {
      const second = new MediaStream()
      const { container, rerender } = adapter.mount({ stream: new MediaStream() })
      const video = videoOf(container)
      await rerender({ stream: second })
      expect(videoOf(container)).toBe(video)
      expect(video.srcObject).toBe(second)
      await rerender({ stream: null })
      expect(video.srcObject).toBeNull()
    })

    it('should render an empty video without a stream and not try to play', () => {
      const play = vi.spyOn(HTMLMediaElement.prototype, 'play')
      expect(videoOf(adapter.mount({ stream: null }).container).srcObject).toBeNull()
      expect(play).not.toHaveBeenCalled()
    })

    it('should pass other attributes to the video', () => {
      const { container } = adapter.mount({ stream: null, class: 'remote' })
      expect(videoOf(container).classList.contains('remote')).toBe(true)
    })

    it(`should ${adapter.autoplayBlockedSignal} when the browser refuses playback`, async () => {
      const refused = new DOMException('play() needs a user gesture', 'NotAllowedError')
      vi.spyOn(HTMLMediaElement.prototype, 'play').mockRejectedValue(refused)
      const { autoplayBlocked } = adapter.mount({ stream: new MediaStream() })
      await vi.waitFor(() => expect(autoplayBlocked()).toEqual([[refused]]))
    })

    it('should swallow an AbortError from a stream swapped before it started', async () => {
      const aborted = new DOMException('interrupted by a new load request', 'AbortError')
      const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockRejectedValue(aborted)
      const { autoplayBlocked } = adapter.mount({ stream: new MediaStream() })
      await vi.waitFor(() => expect(play).toHaveBeenCalled())
      await Promise.resolve()
      expect(autoplayBlocked()).toEqual([])
    })
  })
}
