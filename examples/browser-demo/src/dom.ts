// Typed element lookup: a missing id is a bug in index.html, reported by name.
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`index.html: #${id} is missing or not a ${type.name}`);
  return element;
}

/** The number in an input, or `fallback` when it is empty or not a number. */
export function numberIn(input: HTMLInputElement | HTMLSelectElement, fallback = 0): number {
  const value = Number(input.value);
  return input.value.trim() !== '' && Number.isFinite(value) ? value : fallback;
}
