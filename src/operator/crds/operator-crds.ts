import { appCrd } from './app-crd.js'
import { crdManifest, type CrdManifest } from './crd-manifest.js'
import { projectCrd } from './project-crd.js'
import { tenantCrd } from './tenant-crd.js'

/** The three CRDs, in the order they are applied. */
export const operatorCrds = (): CrdManifest[] => [tenantCrd, projectCrd, appCrd].map(crdManifest)
