import type { OptionDefinition } from './command.js'
import { usageError } from './errors.js'

/** Flags describing an app's delivery spec, shared by `admin app create` and `admin app update`. */
export const appSpecOptions: OptionDefinition[] = [
  { flags: '--image <ref>', description: 'container image (its registry must be allowed)' },
  { flags: '--replicas <n>', description: 'replicas (default 1)' },
  { flags: '--port <port>', description: 'container port to expose through the Service; repeatable', repeatable: true },
  { flags: '--env <NAME=value>', description: 'environment variable; repeatable', repeatable: true },
  { flags: '--host <name>', description: 'Ingress host' },
  { flags: '--command <arg>', description: 'command (one argument per flag); repeatable', repeatable: true },
  { flags: '--pre-hook <name=command>', description: 'a Job run before each rollout (sh -c command); repeatable', repeatable: true },
  { flags: '--post-hook <name=command>', description: 'a Job run after each rollout is available; repeatable', repeatable: true },
]

export interface AppSpecOpts {
  image?: string
  replicas?: string
  port?: string[]
  env?: string[]
  host?: string
  command?: string[]
  preHook?: string[]
  postHook?: string[]
}

function pair(flag: string, value: string): [string, string] {
  const i = value.indexOf('=')
  if (i <= 0) throw usageError(`${flag} takes NAME=value, got "${value}"`)
  return [value.slice(0, i), value.slice(i + 1)]
}

const hooksOf = (flag: string, values: string[] | undefined) =>
  values?.map((v) => {
    const [name, command] = pair(flag, v)
    return { name, command: ['sh', '-c', command] }
  })

/** The spec fields the flags set; fields whose flags are absent are left out (PATCH keeps them). */
export function appSpecOf(opts: AppSpecOpts) {
  if (opts.replicas !== undefined && !/^[0-9]+$/.test(opts.replicas)) throw usageError('--replicas must be a whole number')
  const ports = opts.port?.map((p) => {
    if (!/^[0-9]+$/.test(p)) throw usageError(`--port must be a number, got "${p}"`)
    return { containerPort: Number(p) }
  })
  const pre = hooksOf('--pre-hook', opts.preHook)
  const post = hooksOf('--post-hook', opts.postHook)
  return {
    ...(opts.image !== undefined ? { image: opts.image } : {}),
    ...(opts.replicas !== undefined ? { replicas: Number(opts.replicas) } : {}),
    ...(ports ? { ports } : {}),
    ...(opts.env ? { env: opts.env.map((e) => { const [name, value] = pair('--env', e); return { name, value } }) } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.command ? { command: opts.command } : {}),
    ...(pre || post ? { hooks: { ...(pre ? { pre } : {}), ...(post ? { post } : {}) } } : {}),
  }
}
