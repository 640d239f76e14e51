import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import DuetVideo from '../src/lib/DuetVideo.svelte'
import VideoHost from './fixtures/VideoHost.svelte'

function videoOf(container: Element): HTMLVideoElement {
  const video = container.querySelector('video')
  if (!video) throw new Error('no <video> rendered')
  return video
}

describe('DuetVideo', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('should play the given stream inline and automatically', () => {
    const stream = new MediaStream()
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play')
    const { container } = render(DuetVideo, { props: { stream } })
    const video = videoOf(container)
    expect(video.srcObject).toBe(stream)
    expect(video.autoplay).toBe(true)
    expect(video.hasAttribute('playsinline')).toBe(true)
    expect(play).toHaveBeenCalledTimes(1)
  })

  it('should be muted only when asked (local preview)', async () => {
    const stream = new MediaStream()
    const { container, rerender } = render(DuetVideo, { props: { stream } })
    expect(videoOf(container).muted).toBe(false)
    await rerender({ stream, muted: true })
    expect(videoOf(container).muted).toBe(true)
  })

  it('should show the new stream when the stream prop changes, and nothing for null', async () => {
    const first = new MediaStream()
    const second = new MediaStream()
    const { container, rerender } = render(DuetVideo, { props: { stream: first } })
    const video = videoOf(container)
    await rerender({ stream: second })
    expect(videoOf(container)).toBe(video)
    expect(video.srcObject).toBe(second)
    await rerender({ stream: null })
    expect(video.srcObject).toBeNull()
  })

  it('should render an empty video without a stream and not try to play', () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play')
    const { container } = render(DuetVideo, { props: { stream: null } })
    expect(videoOf(container).srcObject).toBeNull()
    expect(play).not.toHaveBeenCalled()
  })

  it('should pass other attributes to the video', () => {
    const { container } = render(DuetVideo, { props: { stream: null, class: 'remote' } })
    expect(videoOf(container).classList.contains('remote')).toBe(true)
  })

  it('should call onautoplayblocked when the browser refuses playback', async () => {
    const refused = new DOMException('play() needs a user gesture', 'NotAllowedError')
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockRejectedValue(refused)
    const onautoplayblocked = vi.fn()
    render(DuetVideo, { props: { stream: new MediaStream(), onautoplayblocked } })
    await vi.waitFor(() => expect(onautoplayblocked).toHaveBeenCalledWith(refused))
  })

  it('should swallow an AbortError from a stream swapped before it started', async () => {
    const aborted = new DOMException('interrupted by a new load request', 'AbortError')
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockRejectedValue(aborted)
    const onautoplayblocked = vi.fn()
    render(DuetVideo, { props: { stream: new MediaStream(), onautoplayblocked } })
    await vi.waitFor(() => expect(play).toHaveBeenCalled())
    await Promise.resolve()
    expect(onautoplayblocked).not.toHaveBeenCalled()
  })

  it('should not re-attach the same stream when the expression behind the prop re-runs', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play')
    render(VideoHost, { props: { stream: new MediaStream() } })
    await fireEvent.click(screen.getByRole('button', { name: 'Bump' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Bump' }))
    expect(play).toHaveBeenCalledTimes(1)
  })
})
