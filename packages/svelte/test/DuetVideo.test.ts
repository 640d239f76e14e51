import { videoContract } from '@duet/test-kit/contract'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import DuetVideo from '../src/lib/DuetVideo.svelte'
import VideoHost from './fixtures/VideoHost.svelte'

videoContract({
  autoplayBlockedSignal: 'call onautoplayblocked',
  cleanup,
  mount: (props) => {
    const onautoplayblocked = vi.fn()
    const { container, rerender } = render(DuetVideo, { props: { ...props, onautoplayblocked } })
    return {
      container,
      // Copied into an object literal: the props' attribute index signature rejects an interface.
      rerender: (next) => rerender({ ...next }),
      autoplayBlocked: () => onautoplayblocked.mock.calls,
    }
  },
})

describe('DuetVideo', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('should not re-attach the same stream when the expression behind the prop re-runs', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play')
    render(VideoHost, { props: { stream: new MediaStream() } })
    await fireEvent.click(screen.getByRole('button', { name: 'Bump' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Bump' }))
    expect(play).toHaveBeenCalledTimes(1)
  })
})
