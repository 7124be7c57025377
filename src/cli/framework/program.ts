import { Command, CommanderError, Option } from 'commander'
import type { AnyCommand, OptionDefinition } from './command.js'
import { exitCodeFor, Exit, type ExitCode } from './exit-codes.js'
import { ApiError, CliError } from './errors.js'
import type { Io } from './io.js'
import { createOutput, parseFormat } from './output.js'
import { createSession } from './session.js'
import type { GlobalFlags } from './settings.js'
import { cliVersion } from './version.js'

export interface ProgramSpec {
  commands: readonly AnyCommand[]
  /** One-line descriptions of the nouns (`cluster`, `cluster credentials`, …). */
  groups: Readonly<Record<string, string>>
  /** Commands registered outside this framework (`kupe server`), listed in help. */
  extra?(program: Command): void
}

interface GlobalOptions extends GlobalFlags {
  output?: string
  quiet?: boolean
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/** Accepted by every command, before or after the command words. */
export const globalOptions: OptionDefinition[] = [
  { flags: '--api-url <url>', description: 'Kupe API URL (KUPE_API_URL, default http://localhost:8080)' },
  { flags: '--tenant <name>', description: 'tenant to address (KUPE_TENANT)' },
  { flags: '--context <name>', description: 'context from the config file (KUPE_CONTEXT, default the current one)' },
  { flags: '--config <path>', description: 'config file (KUPE_CONFIG, default ~/.config/kupe/config.yaml)' },
  { flags: '-o, --output <format>', description: 'output format: table, json or yaml', default: 'table' },
  { flags: '-q, --quiet', description: 'print only names or ids' },
]

function optionOf(o: OptionDefinition): Option {
  const opt = new Option(o.flags, o.description)
  if (o.repeatable) opt.argParser(collect)
  if (o.default !== undefined) opt.default(o.default)
  if (o.choices) opt.choices(o.choices)
  if (o.required) opt.makeOptionMandatory()
  return opt
}

function examplesText(examples: readonly string[]): string {
  return examples.length ? `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n` : ''
}

/** Prints a failure the way every command does: the server's message on stderr. */
export function reportError(io: Io, err: unknown): ExitCode {
  const code = exitCodeFor(err)
  if (err instanceof ApiError) {
    const detail = [err.code, err.field ? `field ${err.field}` : undefined].filter(Boolean).join(', ')
    io.stderr.write(`error: ${err.message}${detail ? ` (${detail})` : ''}\n`)
  } else if (err instanceof CliError) {
    io.stderr.write(`error: ${err.message}\n`)
  } else {
    io.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  }
  return code
}

function groupOf(root: Command, path: readonly string[], groups: ProgramSpec['groups']): Command {
  let parent = root
  for (let i = 0; i < path.length; i++) {
    const name = path[i]!
    const existing = parent.commands.find((c) => c.name() === name)
    if (existing) {
      parent = existing
      continue
    }
    const description = groups[path.slice(0, i + 1).join(' ')]
    if (!description) throw new Error(`no description for command group "${path.slice(0, i + 1).join(' ')}"`)
    parent = parent.command(name).description(description).summary(description)
  }
  return parent
}

/** Adds one command under its group; its action stores the exit code through `done`. */
function addCommand(program: Command, def: AnyCommand, spec: ProgramSpec, io: Io, done: (code: ExitCode) => void): void {
  const groups = spec.groups
  const verb = def.path[def.path.length - 1]!
  const parent = groupOf(program, def.path.slice(0, -1), groups)
  const cmd = parent.command(verb).summary(def.summary).description(def.description ?? def.summary)
  for (const a of def.args ?? []) cmd.argument(a.required === false ? `[${a.name}]` : `<${a.name}>`, a.description)
  for (const o of def.options ?? []) cmd.addOption(optionOf(o))
  cmd.addHelpText('after', examplesText(def.examples))
  cmd.action(async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command
    const globals = command.optsWithGlobals<GlobalOptions>()
    const args = Object.fromEntries((def.args ?? []).map((a, i) => [a.name, params[i] as string])) as Record<string, string>
    try {
      const out = createOutput(io, parseFormat(globals.output), !!globals.quiet)
      const catalog = { commands: spec.commands, groups: spec.groups }
      // With ancestors' options: when a command is also a group (`kupe operator` and `kupe operator
      // install`), commander gives a flag both define (`--kubeconfig`) to the parent.
      done(await def.run({ args, catalog, opts: command.optsWithGlobals(), session: createSession(globals, io), out, io }))
    } catch (err) {
      done(reportError(io, err))
    }
  })
}

/** Builds the commander tree from the command definitions; `run` returns the exit code. */
export function buildProgram(spec: ProgramSpec, io: Io): { program: Command; run(argv: string[]): Promise<ExitCode> } {
  let exitCode: ExitCode = Exit.Ok
  const program = new Command()
  program
    .name('kupe')
    .description('Kupe: multi-tenant Kubernetes platform (server and CLI)')
    .addHelpText('after', '\nRun `kupe <command> --help` for details; `kupe --version` prints the CLI version.\n')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
  for (const o of globalOptions) program.addOption(optionOf(o))
  spec.extra?.(program)
  for (const def of spec.commands) addCommand(program, def, spec, io, (code) => (exitCode = code))

  return {
    program,
    async run(argv) {
      if (argv.length === 0) {
        program.outputHelp()
        return Exit.Ok
      }
      // Not a commander option: root options are parsed anywhere on the line and would swallow
      // `kupe cluster create web --version 1.32`.
      if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
        io.stdout.write(`${cliVersion()}\n`)
        return Exit.Ok
      }
      try {
        await program.parseAsync(argv, { from: 'user' })
      } catch (err) {
        // Commander's own failures are usage errors (unknown command or option, missing argument).
        if (err instanceof CommanderError) return err.exitCode === 0 ? Exit.Ok : Exit.Validation
        return reportError(io, err)
      }
      return exitCode
    },
  }
}
