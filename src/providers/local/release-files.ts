import { accessSync, constants } from 'node:fs'

/** A release directory's name: `v<major>.<minor>.<patch>` (Kubernetes and Alertmanager alike). */
export const RELEASE = /^v(\d+)\.(\d+)\.(\d+)$/

/** Whether a built binary is there and may be run. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
