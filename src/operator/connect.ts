import { KubeConfig } from '@kubernetes/client-node'
import { ObjectClient } from './object-client.js'

/** A client for the host cluster of a kubeconfig file, or of $KUBECONFIG / ~/.kube/config / in-cluster as kubectl finds it. */
export function connectOperatorClient(kubeconfigPath?: string): ObjectClient {
  const kc = new KubeConfig()
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath)
  else kc.loadFromDefault()
  return new ObjectClient(kc)
}
