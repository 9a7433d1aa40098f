// Number and table formatting of the BENCHMARKS.md blocks.

/** Three significant figures or so: 1234 → "1234", 12.34 → "12.3", 1.234 → "1.23", 0.01234 → "0.012". */
export const fixed = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

export const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
