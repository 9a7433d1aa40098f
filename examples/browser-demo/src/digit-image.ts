// Paint grey images onto canvases (white on black, as MNIST's ink).
import { SIDE } from './protocol.ts';

/** A `width`×`height` image; `intensity(i)` gives pixel i (row-major) in [0, 1]. */
export function paintGrey(canvas: HTMLCanvasElement, width: number, height: number, intensity: (i: number) => number): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(255 * intensity(i));
    image.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

/** A 28×28 MNIST digit. */
export function paintDigit(canvas: HTMLCanvasElement, intensity: (i: number) => number): void {
  paintGrey(canvas, SIDE, SIDE, intensity);
}
