/** Why create-duet refused to write an app. */
export type CreateDuetErrorCode = 'UNKNOWN_TEMPLATE' | 'TARGET_NOT_EMPTY' | 'USAGE' | 'CANCELLED'

/** A refusal the user can act on: the CLI prints its message and exits non-zero, no stack. */
export class CreateDuetError extends Error {
  override readonly name = 'CreateDuetError'
  /** Which refusal this is. */
  readonly code: CreateDuetErrorCode

  constructor(code: CreateDuetErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
