// The words for what the model has been through, shared by the panels that show its output.
import type { ModelState } from './protocol.ts';

const NAMES = { mlp: "the book's MLP (Dense 512 → Dense 10)", convnet: "the book's convnet (3 Conv2D, 2 MaxPooling2D, Dense 10)" } as const;

export function describeModel(state: ModelState): string {
  const trained = state.epochs === 0 ? 'untrained: random initial weights, so its guesses are near chance (about 1 in 10 right)' : `trained for ${state.epochs} epoch${state.epochs > 1 ? 's' : ''}`;
  return `${NAMES[state.kind]}, ${trained}`;
}
