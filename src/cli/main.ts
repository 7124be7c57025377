#!/usr/bin/env node
import { Command } from 'commander'
import { commandGroups, commands } from './commands/index.js'
import { processIo } from './framework/io.js'
import { buildProgram } from './framework/program.js'

const SERVER_SUMMARY = 'Run the Kupe API server and its controllers'
const argv = process.argv.slice(2)

// `kupe … | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

if (argv[0] === 'server') {
  // The server pulls in Fastify, PGlite and the controllers (~0.7 s to load); every other command
  // starts without them, so `kupe server` gets its own program, loaded only when asked for.
  const { registerServerCommand } = await import('./server-command.js')
  const program = new Command().name('kupe')
  registerServerCommand(program)
  await program.parseAsync(process.argv)
} else {
  const { run } = buildProgram(
    {
      commands,
      groups: commandGroups,
      extra: (program) => void program.command('server').summary(SERVER_SUMMARY).description(SERVER_SUMMARY).allowUnknownOption(),
    },
    processIo(),
  )
  process.exitCode = await run(argv)
}
