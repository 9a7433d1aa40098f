import type { z } from 'zod';
import { Adam, adamOptions, type AdamKind } from './adam.ts';

const adamwOptions = adamOptions.extend({
  weightDecay: adamOptions.shape.weightDecay.unwrap().unwrap().default(0.004),
});

export type AdamWOptions = z.input<typeof adamwOptions>;

/**
 * Keras's `AdamW`: Adam with decoupled weight decay (default 0.004), `w -= w·weightDecay·lr` before each
 * Adam step (done by the base class, as in Keras, where AdamW only changes the default).
 */
export class AdamW extends Adam {
  protected static override readonly kind: AdamKind = { className: 'AdamW', prefix: 'adam_w', schema: adamwOptions };

  constructor(options: AdamWOptions = {}) {
    super(options);
  }
}
