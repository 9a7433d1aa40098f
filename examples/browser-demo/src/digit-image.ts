// Paint 28×28 intensities onto a canvas (white ink on black, as MNIST).
import { SIDE } from './protocol.ts';

/** `intensity(i)` gives pixel i in [0, 1]. */
export function paintDigit(canvas: HTMLCanvasElement, intensity: (i: number) => number): void {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round(255 * intensity(i));
    image.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}
