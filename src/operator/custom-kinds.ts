import type { CustomKind } from './object-client.js'

/** Where each kind of the operator's CRDs lives. */
export const TENANTS: CustomKind = { plural: 'tenants' }
export const PROJECTS: CustomKind = { plural: 'projects' }
export const APPS: CustomKind = { plural: 'apps' }
