import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { createContainer, type Container, type ContainerOptions } from './container.js'
import { controllers } from './controllers/index.js'
import { ControllerRunner } from './controllers/runner.js'
import { seedPlans } from './domain/plans/plan-service.js'
import { buildApp } from './server/app.js'
import { migrateToLatest } from './store/connect.js'

export interface RunningServer {
  app: FastifyInstance
  container: Container
  url: string
  stop(): Promise<void>
}

/** `kupe server`: the only place that wires the HTTP server and the controllers together. */
export async function startServer(config: Config, opts: ContainerOptions = {}): Promise<RunningServer> {
  const container = await createContainer(config, opts)
  await migrateToLatest(container.db)
  await seedPlans(container)
  const app = await buildApp(container)
  const runner = new ControllerRunner(container, controllers, {
    clock: container.clock,
    logger: container.logger,
    registry: container.metrics,
    resyncMs: config.resyncSeconds * 1000,
    signals: container.signals,
  })
  const address = await app.listen({ host: config.listen.host, port: config.listen.port })
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1')
  // Tenant API servers of the local provider call back here (token review, spec §2.6).
  container.provider.attachServer?.(url)
  runner.start()
  container.logger.info({ address, database: container.engine, provider: config.provider }, 'kupe server listening')
  let stopping: Promise<void> | undefined
  return {
    app,
    container,
    url,
    stop: () =>
      (stopping ??= (async () => {
        await runner.stop()
        await app.close()
        await container.close()
      })()),
  }
}
