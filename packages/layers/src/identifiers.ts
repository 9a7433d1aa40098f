/** `categoricalCrossentropy` → `categorical_crossentropy`; Keras's snake_case names pass unchanged. */
export function toSnakeCase(identifier: string): string {
  return identifier.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `use_bias` → `useBias`: a Keras config key as a Strata option name. */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Look a Keras string identifier up in `table`; unknown names give an error listing the valid ones. */
export function lookup<T>(kind: string, table: Readonly<Record<string, T>>, identifier: string): T {
  const found = table[toSnakeCase(identifier)];
  const plural = kind.endsWith('s') ? `${kind}es` : `${kind}s`;
  if (found === undefined) throw new Error(`Unknown ${kind} ${JSON.stringify(identifier)}; valid ${plural} are ${Object.keys(table).join(', ')}`);
  return found;
}

/** Edit distance between two short strings (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length];
}

/**
 * The name `key` was most likely meant as: the same letters ignoring case and underscores
 * (`batch_size` → `batchSize`), else the nearest within two edits (`unit` → `units`).
 */
export function closestName(key: string, names: readonly string[]): string | undefined {
  const plain = (s: string): string => s.replace(/_/g, '').toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(plain(key), plain(name));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** "unknown option 'unit' — did you mean 'units'?" (the suggestion only when one is close). */
export function unknownOption(key: string, known: readonly string[]): string {
  const guess = closestName(key, known);
  return `unknown option '${key}'${guess ? ` — did you mean '${guess}'?` : ` (valid: ${known.join(', ')})`}`;
}
