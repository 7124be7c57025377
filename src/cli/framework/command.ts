import type { ExitCode } from './exit-codes.js'
import type { Io } from './io.js'
import type { Output } from './output.js'
import type { Session } from './session.js'

export interface ArgDefinition<A extends string> {
  name: A
  description: string
  /** Default true. */
  required?: boolean
}

export interface OptionDefinition {
  /** Commander syntax: `--cpu <quantity>`, `-w, --wait`, `--no-set-current`. */
  flags: string
  description: string
  default?: string | boolean
  /** May be given several times; the value is a string array. */
  repeatable?: boolean
  /** Must be given. */
  required?: boolean
  choices?: readonly string[]
}

/** Every command of the program and its groups (for help-like commands such as completion). */
export interface CommandCatalog {
  commands: readonly AnyCommand[]
  groups: Readonly<Record<string, string>>
}

export interface CommandContext<O, A extends string> {
  args: Record<A, string>
  catalog: CommandCatalog
  /** Parsed options, camel-cased as commander does (`--display-name` → `displayName`). */
  opts: O
  session: Session
  out: Output
  io: Io
}

/**
 * One CLI command (one file each, `commands/<noun>-<verb>.ts`): its place in the grammar, a
 * one-line summary, help with runnable examples, flags, and a run that returns an exit code.
 */
export interface CommandDefinition<O = Record<string, never>, A extends string = never> {
  path: readonly string[]
  summary: string
  /** Longer help; the summary when omitted. */
  description?: string
  args?: ReadonlyArray<ArgDefinition<A>>
  options?: readonly OptionDefinition[]
  examples: readonly string[]
  run(ctx: CommandContext<O, A>): Promise<ExitCode>
}

/** Erased form the program builder handles. */
export interface AnyCommand {
  path: readonly string[]
  summary: string
  description?: string
  args?: ReadonlyArray<ArgDefinition<string>>
  options?: readonly OptionDefinition[]
  examples: readonly string[]
  run(ctx: CommandContext<unknown, string>): Promise<ExitCode>
}

export function defineCommand<O = Record<string, never>, A extends string = never>(def: CommandDefinition<O, A>): AnyCommand {
  return def as unknown as AnyCommand
}
