import { stringify } from 'yaml'
import { usageError } from './errors.js'
import type { Io } from './io.js'

export type Format = 'table' | 'json' | 'yaml'

/** A column: header and how to show one item in it. */
export type Column<T> = [header: string, cell: (item: T) => string | number | boolean | undefined]

/** How a resource looks in a terminal. */
export interface View<T> {
  columns: Column<T>[]
  /** What `-q` prints: the name or id that other commands accept. */
  id(item: T): string
  /** `get` in table format: label/value lines instead of a one-row table. */
  details?(item: T): Array<[label: string, value: string | number | boolean | undefined]>
}

export interface Output {
  readonly format: Format
  readonly quiet: boolean
  /** A list response `{items, continue?}`: exact JSON/YAML, a table, or one id per line. */
  list<T>(page: { items: T[]; continue?: string }, view: View<T>): void
  /** One API object. */
  object<T>(item: T, view: View<T>): void
  /** json/yaml: prints the exact value and returns true; table: prints nothing, returns false. */
  structured(value: unknown): boolean
  /** A human sentence for table mode ("Cluster "web" deleted."); silent with -q, on stderr for json/yaml. */
  done(message: string): void
  /** Free text on stdout (kubeconfig, completion scripts). */
  raw(text: string): void
  /** Notes for people (hints, warnings): stderr, so stdout stays parseable. */
  note(message: string): void
}

export function parseFormat(value: string | undefined): Format {
  if (value === undefined || value === 'table' || value === 'wide') return 'table'
  if (value === 'json' || value === 'yaml') return value
  throw usageError(`invalid output format "${value}" (json, yaml or table)`)
}

function cellText(v: string | number | boolean | undefined): string {
  return v === undefined || v === '' ? '-' : String(v)
}

/** Left-aligned columns, two spaces apart, upper-case headers (kubectl style). */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()
  return [line(headers), ...rows.map(line)].join('\n') + '\n'
}

export function renderDetails(pairs: Array<[string, string | number | boolean | undefined]>): string {
  const width = Math.max(...pairs.map(([l]) => l.length)) + 1
  return pairs.map(([l, v]) => `${`${l}:`.padEnd(width)} ${cellText(v)}`).join('\n') + '\n'
}

export function createOutput(io: Io, format: Format, quiet: boolean): Output {
  const serialise = (value: unknown) => (format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value))
  return {
    format,
    quiet,
    list(page, view) {
      if (format !== 'table') return void io.stdout.write(serialise(page))
      if (quiet) return void io.stdout.write(page.items.map((i) => `${view.id(i)}\n`).join(''))
      if (page.items.length === 0) io.stderr.write('No resources found.\n')
      else io.stdout.write(renderTable(view.columns.map(([h]) => h), page.items.map((i) => view.columns.map(([, cell]) => cellText(cell(i))))))
      if (page.continue) io.stderr.write(`More items: repeat with --continue ${page.continue}\n`)
    },
    object(item, view) {
      if (format !== 'table') return void io.stdout.write(serialise(item))
      if (quiet) return void io.stdout.write(`${view.id(item)}\n`)
      if (view.details) io.stdout.write(renderDetails(view.details(item)))
      else io.stdout.write(renderTable(view.columns.map(([h]) => h), [view.columns.map(([, cell]) => cellText(cell(item)))]))
    },
    structured(value) {
      if (format === 'table') return false
      io.stdout.write(serialise(value))
      return true
    },
    done(message) {
      if (quiet) return
      if (format === 'table') io.stdout.write(`${message}\n`)
      else io.stderr.write(`${message}\n`)
    },
    raw: (text) => void io.stdout.write(text),
    note: (message) => void io.stderr.write(`${message}\n`),
  }
}
