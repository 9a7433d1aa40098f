/**
 * Thrown by a backend whose device is gone (a GPU's `device.lost`: destroyed, driver reset, out of
 * memory). Every tensor stored on that backend is lost with it; `fit` catches this error to name the
 * epoch and step and to put the last good weights back (see packages/layers/src/training/fit.ts).
 */
export class DeviceLostError extends Error {
  constructor(readonly backend: string, readonly reason: string) {
    super(`the ${backend} device was lost (${reason}); tensors stored on it are gone`);
    this.name = 'DeviceLostError';
  }
}
