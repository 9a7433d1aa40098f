// Stands in for the `webgpu` npm package (Dawn for Node) in the page's bundle: a browser has WebGPU as
// `navigator.gpu` or not at all, and the backend only reaches for Dawn when `navigator.gpu` is missing.
export const globals = {};

export function create(): never {
  throw new Error('this browser does not expose navigator.gpu (WebGPU is disabled or unsupported)');
}
