import { KupeError } from '../errors.js'

/** The failures of the Alertmanager configuration API, rendered like every KupeError. */
export const alertmanagerErrors = {
  invalidReceiverName: () =>
    new KupeError(400, 'Invalid receiver name (1-128 letters, digits, ".", "_" or "-", starting with a letter or digit)'),
  reservedReceiverName: (name: string) =>
    new KupeError(400, `Receiver name "${name}" is reserved for alerts that match no route`, 'INVALID_FIELD', 'name'),
  receiverNotFound: () => new KupeError(404, 'Receiver not found'),
  receiverInUse: (name: string) =>
    new KupeError(409, `Receiver "${name}" is used by a route; remove it from the routes first`),
  tooManyReceivers: (max: number) => new KupeError(400, `Limit reached: receivers per tenant (${max})`, 'LIMIT_EXCEEDED'),
  /** Alertmanager's configuration loader refused the tenant's configuration with this change. */
  configInvalid: (reason: string) =>
    new KupeError(400, `Invalid Alertmanager configuration: ${reason}`, 'ALERTMANAGER_CONFIG_INVALID'),
  fileReference: (path: string) =>
    new KupeError(400, `Field "${path}" names a file on the server, which is not allowed; give the value itself`, 'INVALID_FIELD', path),
  forbiddenField: (path: string, why: string) => new KupeError(400, `Field "${path}" is not allowed: ${why}`, 'INVALID_FIELD', path),
  nulCharacter: (path: string) => new KupeError(400, `Invalid value for "${path}": must not contain NUL characters`, 'INVALID_FIELD', path),
  unmatchedSentinel: (path: string) =>
    new KupeError(400, `Invalid value for "${path}": "<secret>" keeps a stored secret, and none is stored there`, 'INVALID_FIELD', path),
  /** The write raced another one so often that it gave up; the client may simply retry. */
  busy: () => new KupeError(409, 'The Alertmanager configuration changed concurrently; retry'),
  validatorMissing: (dir: string) =>
    new KupeError(503, `Alertmanager configurations cannot be validated: no Alertmanager release is built in ${dir} (run \`npm run alertmanager:build\`)`),
}
