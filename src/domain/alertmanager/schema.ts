import { Type, type Static } from '@sinclair/typebox'

/**
 * A tenant's Alertmanager configuration (issue #12), in Alertmanager's own YAML field names, as
 * the Kupe Terraform provider sends it: named receivers, the child routes of an implicit root
 * route, and the `global` section. Field lists follow the Alertmanager release the server
 * validates with (tools/alertmanager/go.mod); test/alertmanager-rules.test.ts holds them to it.
 * Decisions: docs/decisions/0017-alertmanager-config.md.
 */

/** The three kinds of object a tenant's configuration is stored as (migration 0012), each with its own version. */
export type AlertmanagerObjectKind = 'receiver' | 'routes' | 'global'

/** What a masked secret reads as, in GET and PUT responses; sent back, it keeps the stored value. */
export const SECRET_SENTINEL = '<secret>'

/** The root route's receiver: alerts no child route takes go to it, and it sends nothing. Reserved. */
export const UNROUTED_RECEIVER = 'kupe-unrouted'

/** Receiver names: what a URL path segment carries unescaped, 1–128 characters. */
export const RECEIVER_NAME = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'

const opaque = (description: string) =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description })
const integrations = (key: string) =>
  Type.Optional(Type.Array(opaque(`One Alertmanager ${key.replace(/s$/, '')} (see the Alertmanager configuration reference)`)))

/** The integration lists a receiver may hold, in Alertmanager's order. */
export const RECEIVER_INTEGRATIONS = [
  'discord_configs', 'email_configs', 'incidentio_configs', 'pagerduty_configs', 'slack_configs', 'webhook_configs',
  'opsgenie_configs', 'wechat_configs', 'pushover_configs', 'victorops_configs', 'sns_configs', 'telegram_configs',
  'webex_configs', 'msteams_configs', 'msteamsv2_configs', 'jira_configs', 'rocketchat_configs', 'mattermost_configs',
] as const

const receiverProperties = {
  name: Type.Optional(Type.String({ description: 'Ignored on PUT (the path names the receiver); always set in responses' })),
  labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Labels of the receiver' })),
  ...Object.fromEntries(RECEIVER_INTEGRATIONS.map((k) => [k, integrations(k)])),
}

/**
 * A receiver in Alertmanager's format. In responses every secret field (as Alertmanager types
 * them: URLs of webhooks, Slack, Discord, Teams; passwords, tokens, keys) reads `"<secret>"`.
 */
export const AlertmanagerReceiver = Type.Object(receiverProperties, { $id: 'AlertmanagerReceiver', additionalProperties: false })
export type AlertmanagerReceiver = Static<typeof AlertmanagerReceiver>

export const AlertmanagerReceiverList = Type.Object(
  { items: Type.Array(Type.Ref('AlertmanagerReceiver'), { description: 'Every receiver of the tenant, by name' }) },
  { additionalProperties: false },
)

const duration = (description: string) => Type.Optional(Type.String({ description: `${description}, an Alertmanager duration such as "30s" or "4h"` }))
const strings = (description: string) => Type.Optional(Type.Array(Type.String(), { description }))

/** One route below the root, with its own child routes. */
export const AlertmanagerRoute = Type.Recursive(
  (Route) =>
    Type.Object(
      {
        receiver: Type.Optional(Type.String({ description: 'Receiver name; inherited from the parent when omitted' })),
        group_by: strings('Labels to group by; ["..."] groups by all'),
        match: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Deprecated equality matchers' })),
        match_re: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Deprecated regular-expression matchers' })),
        matchers: strings('Matchers such as severity="critical"'),
        mute_time_intervals: strings('Names of time intervals (none are defined on Kupe yet)'),
        active_time_intervals: strings('Names of time intervals (none are defined on Kupe yet)'),
        continue: Type.Optional(Type.Boolean({ description: 'Keep matching later siblings' })),
        routes: Type.Optional(Type.Array(Route)),
        group_wait: duration('Wait before the first notification of a group'),
        group_interval: duration('Wait before notifying about new alerts of a group'),
        repeat_interval: duration('Wait before repeating a notification'),
        labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Labels attached to the route and inherited by children' })),
      },
      { additionalProperties: false },
    ),
  { $id: 'AlertmanagerRoute' },
)
export type AlertmanagerRoute = Static<typeof AlertmanagerRoute>

/** GET and PUT …/alertmanager/routes: the ordered child routes of the root route. */
export const AlertmanagerRoutes = Type.Object(
  { items: Type.Array(Type.Ref('AlertmanagerRoute'), { description: 'In evaluation order' }) },
  { $id: 'AlertmanagerRoutes', additionalProperties: false },
)
export type AlertmanagerRoutes = { items: AlertmanagerRoute[] }

/** PUT body: `items: null` (what a client sends for "none") is the empty list. */
export const AlertmanagerRoutesWrite = Type.Object(
  { items: Type.Union([Type.Array(AlertmanagerRoute), Type.Null()], { description: 'The complete list; null or [] removes every route' }) },
  { additionalProperties: false },
)
export type AlertmanagerRoutesWrite = Static<typeof AlertmanagerRoutesWrite>

const text = (description: string) => Type.Optional(Type.String({ description }))
const section = (description: string) => Type.Optional(opaque(description))

/**
 * The `global` section (defaults receivers inherit). Fields that name a file on the server
 * (`*_file`) are not accepted: a tenant could otherwise make Alertmanager send a server file.
 */
export const AlertmanagerGlobal = Type.Object(
  {
    resolve_timeout: duration('Time after which an alert without updates is resolved'),
    http_config: section('Default HTTP client settings of integrations'),
    jira_api_url: text('Default Jira API URL'),
    smtp_from: text('Default sender address'),
    smtp_hello: text('Hostname sent in HELO'),
    smtp_smarthost: text('SMTP server, host:port'),
    smtp_auth_username: text('SMTP username'),
    smtp_auth_password: text('SMTP password (secret)'),
    smtp_auth_secret: text('SMTP CRAM-MD5 secret (secret)'),
    smtp_auth_identity: text('SMTP PLAIN identity'),
    smtp_require_tls: Type.Optional(Type.Boolean({ description: 'Require STARTTLS' })),
    smtp_tls_config: section('TLS settings of the SMTP connection'),
    smtp_force_implicit_tls: Type.Optional(Type.Boolean({ description: 'Implicit TLS instead of STARTTLS' })),
    slack_api_url: text('Default Slack webhook URL (secret)'),
    slack_app_token: text('Default Slack app token (secret)'),
    slack_app_url: text('Slack API URL for app tokens'),
    pagerduty_url: text('PagerDuty API URL'),
    opsgenie_api_url: text('Opsgenie API URL'),
    opsgenie_api_key: text('Opsgenie API key (secret)'),
    wechat_api_url: text('WeChat API URL'),
    wechat_api_secret: text('WeChat API secret (secret)'),
    wechat_api_corp_id: text('WeChat corp id'),
    victorops_api_url: text('VictorOps API URL'),
    victorops_api_key: text('VictorOps API key (secret)'),
    telegram_api_url: text('Telegram API URL'),
    telegram_bot_token: text('Telegram bot token (secret)'),
    webex_api_url: text('Webex API URL'),
    rocketchat_api_url: text('Rocket.Chat API URL'),
    rocketchat_token: text('Rocket.Chat token (secret)'),
    rocketchat_token_id: text('Rocket.Chat token id (secret)'),
    mattermost_webhook_url: text('Default Mattermost webhook URL (secret)'),
  },
  { $id: 'AlertmanagerGlobal', additionalProperties: false },
)
export type AlertmanagerGlobal = Static<typeof AlertmanagerGlobal>
