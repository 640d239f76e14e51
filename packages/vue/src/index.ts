export type { CallErrorEvent, CallFileEvent, CallListener, CallMessage } from '@duet/core'
export { DuetVideo } from './DuetVideo'
export type { CallRefs, UseCallReturn } from './useCall'
export { useCall } from './useCall'
