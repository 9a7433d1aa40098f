/** Workgroup counts for `groups` workgroups, split into 2-D when one dimension cannot hold them. */
export function grid(groups: number, maxPerDim: number): [number, number, number] {
  if (groups <= maxPerDim) return [groups, 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new Error(`webgpu: ${groups} workgroups exceed the device's ${maxPerDim}² grid`);
  return [Math.ceil(groups / y), y, 1];
}
