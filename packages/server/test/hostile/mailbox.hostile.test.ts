import { describe, expect, it } from 'vitest'
import { type Answers, mailboxAttack } from './support/mailboxAttack'
import { replay } from './support/scenario'
import { expectWhole } from './support/waiting'

const MiB = 1024 * 1024
// Bytes one kept largest offer counts for: 64 Ki three-byte characters and the envelope.
const OFFER_BYTES = 3 * 64 * 1024

// fix #13 (finding 1): a mailbox was capped at 256 signals whatever their size, so 8 such
// rooms pinned ~315 MB and 16 sockets could crash a server with a 128 MB heap.
describe('hostile load: the away-peer mailbox', () => {
  const attack = (pairs: number) => {
    let answers: Answers[] = []
    return {
      answers: () => answers,
      // The attacker's own setting makes it faster, not weaker: no per-socket rate.
      env: { DUET_RATE_LIMIT: 'off' },
      run: async (url: string) => {
        answers = await mailboxAttack(url, pairs)
      },
    }
  }

  const expectHeld = (answers: Answers[], heldBytesBudget: number) => {
    const kept = answers.reduce((sum, a) => sum + (a.ok ?? 0), 0)
    // Only the typed refusal, and each mailbox refused before its byte budget was passed.
    for (const a of answers) {
      expect(Object.keys(a).filter((code) => code !== 'ok')).toEqual(['MAILBOX_FULL'])
      expect((a.ok ?? 0) * OFFER_BYTES).toBeLessThanOrEqual(1 * MiB)
    }
    expect(kept * OFFER_BYTES).toBeLessThanOrEqual(heldBytesBudget)
  }

  it('should keep 16 sockets within the mailbox budget, refusing MAILBOX_FULL, the server up and honest calls whole', async () => {
    const mailbox = attack(8)
    const outcome = await replay({ name: 'Mailbox fill', size: '16 sockets (8 rooms)', ...mailbox })
    expect(outcome.alive).toBe(true)
    expectHeld(mailbox.answers(), 8 * MiB)
    // 8 mailboxes of at most 1 MiB each, and room to receive the offers (garbage not yet
    // collected, socket buffers): the same working room as with 200 sockets.
    expect(outcome.usage.peakRssMiB - outcome.usage.startRssMiB).toBeLessThan(8 + 128)
    expectWhole(outcome.calls)
  })

  it('should keep 200 sockets within the held-bytes budget of the node', async () => {
    const mailbox = attack(100)
    const outcome = await replay({
      name: 'Mailbox fill',
      size: '200 sockets (100 rooms), 64 MiB node budget',
      ...mailbox,
    })
    expect(outcome.alive).toBe(true)
    expectHeld(mailbox.answers(), 64 * MiB)
    // Past the node budget (64 MiB of JSON; V8 keeps these strings in ~2/3 of that) every
    // mailbox is refused, whatever room it is in.
    expect(outcome.usage.peakRssMiB - outcome.usage.startRssMiB).toBeLessThan(64 + 128)
    expectWhole(outcome.calls)
  })
})
