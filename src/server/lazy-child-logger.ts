import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino'

/**
 * The per-request logger (`req.log`, bound to the request id), created only when something is
 * actually logged at an enabled level. Fastify would otherwise build a pino child — bindings
 * serialized and redacted — for every request, logged or not.
 */
class LazyChildLogger {
  private real?: FastifyBaseLogger
  constructor(private readonly parent: Logger, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}

  get level(): string {
    return this.parent.level
  }
  set level(level: string) {
    this.logger().level = level
  }
  private logger(): FastifyBaseLogger {
    return (this.real ??= this.parent.child(this.bindings, this.options) as FastifyBaseLogger)
  }
  private log(level: Level, args: unknown[]): void {
    if (!this.parent.isLevelEnabled(level)) return
    ;(this.logger()[level] as (...a: unknown[]) => void)(...args)
  }
  fatal(...args: unknown[]) { this.log('fatal', args) }
  error(...args: unknown[]) { this.log('error', args) }
  warn(...args: unknown[]) { this.log('warn', args) }
  info(...args: unknown[]) { this.log('info', args) }
  debug(...args: unknown[]) { this.log('debug', args) }
  trace(...args: unknown[]) { this.log('trace', args) }
  silent() {}
  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level)
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options)
  }
}

/** Fastify's `childLoggerFactory`; the server's logger is always pino (container.ts). */
export function lazyChildLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(parent as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger
}
