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

/** What Safari's and Chromium's `play()` reject with when autoplay is not allowed. */
const refusal = () => new DOMException('play() needs a user gesture', 'NotAllowedError')

/** Lets rejected and resolved play() promises run their handlers. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

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

    it('should mute a local preview before it starts playing, as Safari requires to autoplay it', () => {
      const mutedWhenPlayed: boolean[] = []
      vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (
        this: HTMLMediaElement,
      ) {
        mutedWhenPlayed.push(this.muted)
        return Promise.resolve()
      })
      adapter.mount({ stream: new MediaStream(), muted: true })
      expect(mutedWhenPlayed).toEqual([true])
    })

    // Safari and iOS refuse to autoplay audible media until the user interacted with the page.
    it('should start playback on the next key press after autoplay was refused', async () => {
      const play = vi
        .spyOn(HTMLMediaElement.prototype, 'play')
        .mockRejectedValueOnce(refusal())
        .mockResolvedValue(undefined)
      const { autoplayBlocked } = adapter.mount({ stream: new MediaStream() })
      await vi.waitFor(() => expect(autoplayBlocked()).toHaveLength(1))
      expect(play).toHaveBeenCalledTimes(1)

      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }))
      expect(play).toHaveBeenCalledTimes(2)
      await settle()
      // Playing now: later gestures leave the video alone.
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))
      expect(play).toHaveBeenCalledTimes(2)
      expect(autoplayBlocked()).toHaveLength(1)
    })

    it('should keep waiting through a tap’s pointerdown (no activation on iOS) until its pointerup', async () => {
      const play = vi
        .spyOn(HTMLMediaElement.prototype, 'play')
        .mockRejectedValueOnce(refusal())
        .mockRejectedValueOnce(refusal())
        .mockResolvedValue(undefined)
      const { autoplayBlocked } = adapter.mount({ stream: new MediaStream() })
      await vi.waitFor(() => expect(autoplayBlocked()).toHaveLength(1))

      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))
      await settle()
      document.body.dispatchEvent(new PointerEvent('pointerup', { bubbles: true }))
      await settle()
      expect(play).toHaveBeenCalledTimes(3)
      // One hint for the app to show, not one per refused attempt.
      expect(autoplayBlocked()).toHaveLength(1)
      document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }))
      expect(play).toHaveBeenCalledTimes(3)
    })

    it('should stop waiting for a gesture once the video plays by itself', async () => {
      const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockRejectedValue(refusal())
      const { container, autoplayBlocked } = adapter.mount({ stream: new MediaStream() })
      await vi.waitFor(() => expect(autoplayBlocked()).toHaveLength(1))
      videoOf(container).dispatchEvent(new Event('playing'))
      document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }))
      expect(play).toHaveBeenCalledTimes(1)
    })

    it('should stop waiting for a gesture once the video is gone', async () => {
      const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockRejectedValue(refusal())
      const { autoplayBlocked } = adapter.mount({ stream: new MediaStream() })
      await vi.waitFor(() => expect(autoplayBlocked()).toHaveLength(1))
      adapter.cleanup()
      document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }))
      expect(play).toHaveBeenCalledTimes(1)
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
