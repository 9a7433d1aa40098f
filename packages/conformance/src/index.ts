export * from './backends.ts';
export * from './harness.ts';
export * from './reference.ts';
export * from './random-shapes.ts';
export * from './check.ts';
export * from './ops.ts';
