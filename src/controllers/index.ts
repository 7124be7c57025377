import { alertmanagerController } from './alertmanager-controller.js'
import { billingController } from './billing-controller.js'
import { eventDeliveryController } from './event-delivery-controller.js'
import { hostClusterHealthController } from './host-cluster-health-controller.js'
import { clusterController } from './cluster-controller.js'
import type { Signal } from '../domain/deps.js'
import type { ControllerDeps } from './deps.js'
import type { Controller } from './controller.js'
import { idempotencyPurgeController } from './idempotency-purge-controller.js'
import { hostOperatorController } from './host-operator-controller.js'
import { kubeopSyncController } from './kubeop-sync-controller.js'
import { pgliteVacuumController } from './pglite-vacuum-controller.js'
import { secretSyncController } from './secret-sync-controller.js'
import { tenantDeletionController } from './tenant-deletion-controller.js'

/** Every controller the server runs, listed rather than discovered. */
export const controllers: ReadonlyArray<Controller<ControllerDeps, Signal>> = [
  clusterController, secretSyncController, billingController, idempotencyPurgeController, eventDeliveryController, hostClusterHealthController,
  kubeopSyncController, hostOperatorController, alertmanagerController, tenantDeletionController, pgliteVacuumController,
]
