/** The API group of Kupe's kubeOP resources (seed 004 names it; kubeOP's code used paas.kubeop.io). */
export const GROUP = 'platform.kubeop.io'
export const VERSION = 'v1alpha1'
export const API_VERSION = `${GROUP}/${VERSION}`
