/**
 * Why `fit` stopped when the loss (or a gradient) stopped being finite. With a callback that handles it
 * (`TerminateOnNaN`), `fit` ends quietly instead, returning the history so far.
 */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
}
