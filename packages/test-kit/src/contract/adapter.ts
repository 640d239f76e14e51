import type { FakeMediaDevices } from '../fakeMedia'

/**
 * The queries the suites use, as both bindings' Testing Library return them from `within()`.
 * Structural, so each binding keeps its own `@testing-library/dom` (Svelte's sets an async
 * wrapper that `findBy*` must go through).
 */
export interface View {
  getByLabelText(text: string): HTMLElement
  getByRole(role: string, options: { name: string }): HTMLElement
  findByText(text: string, options?: object, waitFor?: { timeout?: number }): Promise<HTMLElement>
  findByRole(role: string, options: { name: string }): Promise<HTMLElement>
}

/** A component the binding's Testing Library mounted. */
export interface Mounted<Props> {
  /** Queries scoped to what the component rendered. */
  view: View
  unmount(): void
  /** Sets new props and resolves once the framework re-rendered. */
  rerender(props: Props): Promise<void>
}

/** Mounting and clicking the way the binding's Testing Library does. */
export interface Interaction {
  /** A user's click; resolves once the framework flushed what it changed. */
  click(element: HTMLElement): Promise<unknown>
  /** Unmounts everything mounted so far. */
  cleanup(): void
}

/**
 * Props of the binding's `CallProbe` fixture: a component that calls `useCall` with
 * `media: false` on the Node WebRTC platform and renders `<output>`s labelled `status`, `room`,
 * `peers` (count), `sampled` (`sampled` once the first peer has stats) and `status runs` (how
 * often an effect reading only `status` ran), buttons `Join`, `Send` (`hello from <label>`),
 * `Send file` (`<label>.txt` holding `file from <label>`) and `Hang up`, and each message and
 * received file (`<name>: <text>`) as text.
 */
export interface CallProbeProps {
  signaling: string
  roomId: string
  label: string
  /** Call `join()` while the component is set up, before it mounts. */
  autoJoin?: boolean
  statsIntervalMs?: number
}

/**
 * Props of the binding's `MediaProbe` fixture: `useCall` on `mediaDevices`, rendering `<output>`s
 * labelled `status`, `devices` (labels joined by `, `), `camera track` (its id or `none`) and
 * `idle` (`isIdle` as read by the `Check idle` click handler), and buttons `Preview`,
 * `Check idle`, `Mute microphone`/`Unmute microphone`, `Turn camera off`/`Turn camera on` and
 * `Back camera` (selects `cam-2`).
 */
export interface MediaProbeProps {
  signaling: string
  mediaDevices: FakeMediaDevices
}

/** Where `useCall` may be called, in the binding's words, for the test names. */
export interface Phase {
  /** Completes "called outside …": `a component setup`. */
  outside: string
  /** Completes "when join() is called …": `in setup`. */
  during: string
}
