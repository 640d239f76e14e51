// Apart from the sender: the main entry exports them, and must not pull the sender (loaded on
// first use) in with them.

/** Chunk size: 16 KiB is the largest message every WebRTC stack delivers unfragmented. */
export const FILE_CHUNK_BYTES = 16 * 1024
/** The sender pauses once this much is queued in the channel, and resumes at the low mark. */
export const FILE_HIGH_WATER_BYTES = 1024 * 1024
/** The sender also pauses once this much is sent but not yet acknowledged by the receiver. */
export const FILE_WINDOW_BYTES = 1024 * 1024
