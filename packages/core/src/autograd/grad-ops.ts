/**
 * Every op that records itself on the gradient tape. The rule table in rules.ts is typed
 * `Record<GradOp, GradRule>`, so an op listed here without a gradient rule is a compile error.
 * Ops absent from this list (argmax, comparisons, casts to int, logical ops, random, creation) are not
 * differentiable: they record nothing, and a gradient that would have to pass through them is reported.
 */
export const GRAD_OPS = [
  // unary
  'neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'square', 'relu', 'sigmoid', 'tanh', 'reciprocal', 'sin', 'cos',
  'sign', 'floor', 'ceil', 'round',
  // binary
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'where',
  // reductions
  'sum', 'prod', 'max', 'min',
  // linear algebra and movement
  'matmul', 'dense', 'reshape', 'permute', 'slice', 'concat', 'gather', 'cast',
  // image patches (convolution, pooling)
  'im2col', 'col2im', 'conv2d',
  // composites with their own rule
  'softmax', 'logSoftmax', 'lstmCell', 'gruCell',
] as const;

export type GradOp = (typeof GRAD_OPS)[number];
