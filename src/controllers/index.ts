import { billingController } from './billing-controller.js'
import { eventDeliveryController } from './event-delivery-controller.js'
import { hostClusterHealthController } from './host-cluster-health-controller.js'
import { clusterController } from './cluster-controller.js'
import type { Container, Signal } from '../container.js'
import type { Controller } from './controller.js'
import { idempotencyPurgeController } from './idempotency-purge-controller.js'
import { hostOperatorController } from './host-operator-controller.js'
import { kubeopSyncController } from './kubeop-sync-controller.js'
import { secretSyncController } from './secret-sync-controller.js'

/** Every controller the server runs, listed rather than discovered. */
export const controllers: ReadonlyArray<Controller<Container, Signal>> = [
  clusterController, secretSyncController, billingController, idempotencyPurgeController, eventDeliveryController, hostClusterHealthController,
  kubeopSyncController, hostOperatorController,
]
