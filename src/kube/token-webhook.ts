import { constantTimeEqual } from '../lib/constant-time-equal.js'
import { buildKubeconfig } from './kubeconfig.js'
import type { Keys } from '../lib/secrets-crypto.js'

/**
 * The TokenReview webhook that lets a tenant API server accept Kupe API keys and cluster
 * credentials (spec §2.6). Each tenant API server posts to its own URL on the Kupe server, which
 * ends with a secret derived from the master key and the cluster id: nothing to store, the same
 * after a restart, and useless for any other cluster. The secret is in the path because the
 * Kupe server speaks plain HTTP on loopback and Kubernetes clients send no credentials over
 * plain HTTP (client-go drops the kubeconfig user unless the server is https); the route does
 * not log its URL.
 */
export const tokenReviewPath = (clusterId: string, secret: string) => `/internal/v1/clusters/${clusterId}/tokenreview/${secret}`

/** The path secret of one cluster's API server (domain-separated from API key HMACs by its prefix). */
export const tokenReviewSecret = (keys: Pick<Keys, 'hmac'>, clusterId: string) => keys.hmac(`tokenreview-webhook:${clusterId}`)

/** Constant-time check of the secret a caller presented for `clusterId`. */
export function isTokenReviewCaller(keys: Pick<Keys, 'hmac'>, clusterId: string, presented: string | undefined): boolean {
  return presented !== undefined && constantTimeEqual(presented, tokenReviewSecret(keys, clusterId))
}

/** The kubeconfig given to `--authentication-token-webhook-config-file`. */
export function tokenWebhookKubeconfig(serverUrl: string, clusterId: string, secret: string): string {
  return buildKubeconfig({
    cluster: { name: 'kupe', server: `${serverUrl.replace(/\/$/, '')}${tokenReviewPath(clusterId, secret)}` },
    user: { name: 'kube-apiserver' },
    context: 'webhook',
  })
}

/** Removes webhook secrets from text that quotes the webhook URL (an API server's error log). */
export const redactTokenReviewSecrets = (text: string) => text.replace(/(\/tokenreview\/)[^/?\s"']+/g, '$1[redacted]')
