export { DuetVideo } from './DuetVideo'
export type { CallMessage, CallRefs, UseCallReturn } from './useCall'
export { useCall } from './useCall'
