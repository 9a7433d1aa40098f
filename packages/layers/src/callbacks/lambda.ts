import type { CallbackHooks } from './callback.ts';

/** A callback from plain functions: `new LambdaCallback({ onEpochEnd: (epoch, logs) => … })`. */
export class LambdaCallback implements CallbackHooks {
  constructor(hooks: Omit<CallbackHooks, 'setModel' | 'setParams'>) {
    Object.assign(this, hooks);
  }
}
