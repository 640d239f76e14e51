import type { IceCandidateData } from '../protocol'

/** A candidate as plain data (the signal's shape). */
export function toCandidateData(candidate: RTCIceCandidate): IceCandidateData {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  }
}
