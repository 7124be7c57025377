import { Command } from 'commander'
import { API_VERSION } from '../server/app.js'
import { registerAdminCommand } from './admin-command.js'
import { registerServerCommand } from './server-command.js'

const program = new Command()
program.name('kupe').description('Kupe: multi-tenant Kubernetes platform (server and CLI)').version(API_VERSION)
registerServerCommand(program)
registerAdminCommand(program)
await program.parseAsync(process.argv)
