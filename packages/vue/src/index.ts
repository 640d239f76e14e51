export type { CallFileEvent, CallMessage } from '@duet/core'
export { DuetVideo } from './DuetVideo'
export type { CallErrorEvent, CallListener, CallRefs, UseCallReturn } from './useCall'
export { useCall } from './useCall'
