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
