import { z } from 'zod';
import { ACTIVATION_IDS } from '../activations.ts';
import type { Layer } from '../layers/layer.ts';
import { Embedding } from '../layers/embedding.ts';
import { Masking } from '../layers/masking.ts';
import { TimeDistributed } from '../layers/time-distributed.ts';
import { Bidirectional, MERGE_MODES } from '../layers/recurrent/bidirectional.ts';
import { GRU } from '../layers/recurrent/gru.ts';
import { LSTM } from '../layers/recurrent/lstm.ts';
import { RNN, type RNNArgs } from '../layers/recurrent/rnn.ts';
import { SimpleRNN } from '../layers/recurrent/simple-rnn.ts';
import { initializerFromKeras, initializerSchema } from './initializer-config.ts';
import { kerasObjectSchema, unsupported } from './keras-object.ts';
import { base, entry, type FromKeras } from './layer-schema.ts';

const activation = z.enum(ACTIVATION_IDS).nullish();
const rate = z.number().min(0).lt(1).default(0);

const rnnConfig = z.object({
  ...base,
  units: z.number().int().min(1),
  activation: activation.default('tanh'),
  use_bias: z.boolean().default(true),
  kernel_initializer: initializerSchema.default('glorot_uniform'),
  recurrent_initializer: initializerSchema.default('orthogonal'),
  bias_initializer: initializerSchema.default('zeros'),
  dropout: rate,
  recurrent_dropout: rate,
  seed: z.number().int().nullish(),
  return_sequences: z.boolean().default(false),
  return_state: z.boolean().default(false),
  go_backwards: z.boolean().default(false),
  zero_output_for_mask: z.boolean().default(false),
  // unrolling changes how Keras compiles the loop, not what it computes
  unroll: z.boolean().optional(),
  stateful: z.literal(false, { error: 'stateful RNNs are not supported' }).optional(),
  kernel_regularizer: unsupported,
  recurrent_regularizer: unsupported,
  bias_regularizer: unsupported,
  activity_regularizer: unsupported,
  kernel_constraint: unsupported,
  recurrent_constraint: unsupported,
  bias_constraint: unsupported,
});
const gatedConfig = rnnConfig.extend({ recurrent_activation: activation.default('sigmoid') });

function rnnArgs(c: z.output<typeof rnnConfig>, where: string): RNNArgs {
  return {
    name: c.name,
    trainable: c.trainable,
    units: c.units,
    activation: c.activation,
    useBias: c.use_bias,
    kernelInitializer: initializerFromKeras(c.kernel_initializer, `${where}: kernel_initializer`),
    recurrentInitializer: initializerFromKeras(c.recurrent_initializer, `${where}: recurrent_initializer`),
    biasInitializer: initializerFromKeras(c.bias_initializer, `${where}: bias_initializer`),
    dropout: c.dropout,
    recurrentDropout: c.recurrent_dropout,
    seed: c.seed ?? undefined,
    returnSequences: c.return_sequences,
    returnState: c.return_state,
    goBackwards: c.go_backwards,
    zeroOutputForMask: c.zero_output_for_mask,
  };
}

function recurrent(layer: Layer, where: string): RNN {
  if (!(layer instanceof RNN)) throw new Error(`${where}: Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU), got ${layer.className}`);
  return layer;
}

/** The sequence layers' Keras configs (added to layer-config's table). */
export const SEQUENCE_FROM_KERAS: Readonly<Record<string, FromKeras>> = {
  SimpleRNN: entry(rnnConfig, (c, where) => new SimpleRNN(rnnArgs(c, where))),
  LSTM: entry(gatedConfig.extend({ unit_forget_bias: z.boolean().default(true) }), (c, where) => new LSTM({ ...rnnArgs(c, where), recurrentActivation: c.recurrent_activation, unitForgetBias: c.unit_forget_bias })),
  GRU: entry(gatedConfig.extend({ reset_after: z.boolean().default(true) }), (c, where) => new GRU({ ...rnnArgs(c, where), recurrentActivation: c.recurrent_activation, resetAfter: c.reset_after })),
  Bidirectional: entry(
    z.object({ ...base, merge_mode: z.enum(MERGE_MODES, { error: `merge_mode must be one of ${MERGE_MODES.join(', ')}` }).default('concat'), layer: kerasObjectSchema, backward_layer: kerasObjectSchema.optional() }),
    (c, where, nested) => {
      const layer = recurrent(nested(c.layer, `${where}: layer`), where);
      // Keras saves the forward copy (named forward_<name>) as `layer`; the wrapper names it again
      const inner = layer.withArgs({ name: layer.name.replace(/^forward_/, '') });
      const backwardLayer = c.backward_layer ? recurrent(nested(c.backward_layer, `${where}: backward_layer`), where) : undefined;
      return new Bidirectional({ name: c.name, trainable: c.trainable, mergeMode: c.merge_mode, layer: inner, backwardLayer });
    },
  ),
  TimeDistributed: entry(z.object({ ...base, layer: kerasObjectSchema }), (c, where, nested) => new TimeDistributed({ name: c.name, trainable: c.trainable, layer: nested(c.layer, `${where}: layer`) })),
  Embedding: entry(
    z.object({
      ...base,
      input_dim: z.number().int().min(1),
      output_dim: z.number().int().min(1),
      embeddings_initializer: initializerSchema.default('random_uniform'),
      mask_zero: z.boolean().default(false),
      embeddings_regularizer: unsupported,
      activity_regularizer: unsupported,
      embeddings_constraint: unsupported,
      quantization_config: unsupported,
      lora_rank: unsupported,
    }),
    (c, where) => new Embedding({
      name: c.name,
      trainable: c.trainable,
      inputDim: c.input_dim,
      outputDim: c.output_dim,
      maskZero: c.mask_zero,
      embeddingsInitializer: initializerFromKeras(c.embeddings_initializer, `${where}: embeddings_initializer`),
    }),
  ),
  Masking: entry(z.object({ ...base, mask_value: z.number().default(0) }), (c) => new Masking({ name: c.name, trainable: c.trainable, maskValue: c.mask_value })),
};
