/** One column of a table: its heading and how to show a row in it. */
export interface Column<Row> {
  heading: string;
  value: (row: Row) => string;
}

/**
 * Everything a command prints on success goes through here: raw JSON with `--json` (for scripts),
 * short readable text otherwise. Errors go to stderr from `main`, never through this.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {}

  get isTerminal(): boolean {
    return Boolean(this.stream.isTTY);
  }

  line(text = ''): void {
    this.stream.write(`${text}\n`);
  }

  /** Writes without a newline, for a line that is redrawn in place. */
  write(text: string): void {
    this.stream.write(text);
  }

  raw(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }

  /** Columns padded to their widest cell; the last one is not padded, so long text can run on. */
  table<Row>(rows: readonly Row[], columns: Column<Row>[], whenEmpty: string): void {
    if (rows.length === 0) {
      this.line(whenEmpty);
      return;
    }
    const cells = [columns.map((column) => column.heading), ...rows.map((row) => columns.map((column) => oneLine(column.value(row))))];
    const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]?.length ?? 0)));
    for (const line of cells) {
      this.line(line.map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ').trimEnd());
    }
  }

  /** Label–value pairs, labels aligned. */
  fields(entries: [label: string, value: string][]): void {
    const width = Math.max(...entries.map(([label]) => label.length));
    for (const [label, value] of entries) this.line(`${`${label}:`.padEnd(width + 1)}  ${value}`);
  }
}

/** Multi-line text (a message body) squeezed onto one table line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** ISO timestamps without the milliseconds: enough for a person, still unambiguous. */
export function shortTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}
