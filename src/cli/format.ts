/** Text rendering: a JSON-shaped value as an annotated tree, and rows as an aligned table. */

/** What the inspect and verify models are made of: plain JSON data, bytes already rendered as text. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

function isScalar(value: JsonValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function scalarText(value: string | number | boolean | null): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return String(value);
}

function entriesOf(value: JsonValue): [string, JsonValue][] {
  if (Array.isArray(value)) return value.map((item, index) => [`[${index}]`, item as JsonValue]);
  return Object.entries(value as Record<string, JsonValue>);
}

function renderChildren(value: JsonValue, prefix: string, lines: string[]): void {
  const entries = entriesOf(value);
  entries.forEach(([key, child], index) => {
    const last = index === entries.length - 1;
    const branch = last ? '└─ ' : '├─ ';
    if (isScalar(child)) {
      lines.push(`${prefix}${branch}${key}: ${scalarText(child)}`);
    } else if (entriesOf(child).length === 0) {
      lines.push(`${prefix}${branch}${key}: ${Array.isArray(child) ? '[]' : '{}'}`);
    } else {
      lines.push(`${prefix}${branch}${key}`);
      renderChildren(child, prefix + (last ? '   ' : '│  '), lines);
    }
  });
}

/** Renders `value` as a tree under a `title` line. */
export function renderTree(title: string, value: JsonValue): string {
  const lines = [title];
  if (isScalar(value)) lines[0] = `${title}: ${scalarText(value)}`;
  else renderChildren(value, '', lines);
  return `${lines.join('\n')}\n`;
}

/** Renders rows under a header, columns padded to their widest cell; numbers right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const line = (cells: readonly (string | number)[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return typeof cell === 'number' ? String(cell).padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  // The last column is free text (messages); its rule stops at the header.
  const rule = widths.map((width, column) => '─'.repeat(column === widths.length - 1 ? (header[column]?.length ?? 0) : width)).join('  ');
  return `${[line(header), rule, ...rows.map(line)].join('\n')}\n`;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** `aa:bb:…` for fingerprints, as certificate viewers show them. */
export function colonHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(':').toUpperCase();
}
