import type { Command } from 'commander'
import { loadConfig, type ConfigOverrides } from '../config.js'
import { startServer } from '../main.js'

/** `kupe server`: every setting is a flag and an environment variable (flags win). */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Run the Kupe API server and its controllers')
    .option('--listen <host:port>', 'address to listen on (KUPE_LISTEN, default 0.0.0.0:8080)')
    .option('--data-dir <dir>', 'data directory (KUPE_DATA_DIR, default ./.kupe-data)')
    .option('--database-url <url>', 'PostgreSQL URL; PGlite in the data directory when unset (DATABASE_URL)')
    .option('--admin-token <token>', 'platform admin token (KUPE_ADMIN_TOKEN; generated once when unset)')
    .option('--master-key <key>', 'master encryption key (KUPE_MASTER_KEY; generated once when unset)')
    .option('--provider <name>', 'cluster provider: simulated, local or auto (KUPE_PROVIDER)')
    .option('--rate-limit <n>', 'requests per second per client IP (KUPE_RATE_LIMIT, default 20)')
    .option('--rate-burst <n>', 'burst per client IP (KUPE_RATE_BURST, default 100)')
    .addHelpText('after', '\nExample:\n  KUPE_DATA_DIR=/var/lib/kupe kupe server --listen 127.0.0.1:8080\n')
    .action(async (opts: Record<string, string | undefined>) => {
      const flags: ConfigOverrides = {
        listen: opts.listen, dataDir: opts.dataDir, databaseUrl: opts.databaseUrl, adminToken: opts.adminToken,
        masterKey: opts.masterKey, provider: opts.provider, rateLimit: opts.rateLimit, rateBurst: opts.rateBurst,
      }
      const server = await startServer(loadConfig(flags, process.env))
      const shutdown = () => {
        void server.stop().then(() => process.exit(0))
      }
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
    })
}
