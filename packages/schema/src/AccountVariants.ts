/**
 * The 14 provider variants of `Account` and every piece they are built of:
 * the fields they share, their `connection_params`, the JSON number. The
 * union itself, its types, matching and accounts of unknown types are
 * `Account`'s, which re-exports every name here (`Account.MobileAccount`
 * and `AccountVariants.MobileAccount` are the same schema).
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { optional } from "./Fields.js"
import { IsoDateTime } from "./IsoDateTime.js"

/**
 * A JSON number: the spec says `number` (not integer); JSON cannot carry NaN
 * or Infinity, so neither decodes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const JsonNumber = Schema.Number.pipe(Schema.finite({ message: () => "expected a finite number" })).annotations({
  identifier: "JsonNumber",
  title: "number"
})

const PhoneLine = Schema.Struct({ phone_number: Schema.String, sim_serial_number: Schema.String })

/**
 * MOBILE `connection_params`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MobileConnectionParams = Schema.Struct({ im: PhoneLine, call: PhoneLine }).annotations({
  identifier: "MobileConnectionParams"
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const ImapEncryption = Schema.Literal("tls", "ssl", "starttls", "default").annotations({
  identifier: "ImapEncryption"
})

/**
 * IMAP/SMTP `connection_params`, shared by MAIL, ICLOUD and EXCHANGE.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MailConnectionParams = Schema.Struct({
  mail: Schema.Struct({
    imap_host: Schema.String,
    imap_port: JsonNumber,
    imap_user: Schema.String,
    imap_encryption: optional(ImapEncryption),
    smtp_host: Schema.String,
    smtp_port: JsonNumber,
    smtp_user: Schema.String
  })
}).annotations({ identifier: "MailConnectionParams" })

const ProviderIdentity = Schema.Struct({ id: Schema.String, username: Schema.String })

/**
 * OAuth mail + calendar `connection_params`, shared by GOOGLE_OAUTH and OUTLOOK.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OAuthConnectionParams = Schema.Struct({ mail: ProviderIdentity, calendar: ProviderIdentity }).annotations({
  identifier: "OAuthConnectionParams"
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const GoogleCalendarConnectionParams = Schema.Struct({
  calendar: Schema.String,
  sync_token: optional(Schema.String)
}).annotations({ identifier: "GoogleCalendarConnectionParams" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const WhatsAppConnectionParams = Schema.Struct({
  im: Schema.Struct({ phone_number: Schema.String })
}).annotations({ identifier: "WhatsAppConnectionParams" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const LinkedInPremiumFeature = Schema.Literal("recruiter", "sales_navigator", "premium").annotations({
  identifier: "LinkedInPremiumFeature"
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const LinkedInOrganization = Schema.Struct({
  name: Schema.String,
  messaging_enabled: Schema.Boolean,
  organization_urn: Schema.String,
  mailbox_urn: Schema.String
}).annotations({ identifier: "LinkedInOrganization" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const ProxyProtocol = Schema.Literal("http", "https", "socks5").annotations({ identifier: "ProxyProtocol" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const LinkedInProxy = Schema.Struct({
  source: Schema.Literal("USER"),
  host: Schema.String,
  port: JsonNumber,
  protocol: optional(ProxyProtocol),
  username: optional(Schema.String),
  password: optional(Schema.String)
}).annotations({ identifier: "LinkedInProxy" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const LinkedInConnectionParams = Schema.Struct({
  im: Schema.Struct({
    id: Schema.String,
    publicIdentifier: optional(Schema.String),
    username: Schema.String,
    premiumId: Schema.NullOr(Schema.String),
    premiumContractId: Schema.NullOr(Schema.String),
    premiumFeatures: optional(Schema.Array(LinkedInPremiumFeature)),
    organizations: Schema.Array(LinkedInOrganization),
    proxy: optional(LinkedInProxy)
  })
}).annotations({ identifier: "LinkedInConnectionParams" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const SlackConnectionParams = Schema.Struct({
  im: Schema.Struct({
    url: Schema.String,
    user: Schema.String,
    user_id: Schema.String,
    team: Schema.String,
    team_id: Schema.String
  })
}).annotations({ identifier: "SlackConnectionParams" })

/**
 * `connection_params` of `im` providers identified by id and username,
 * shared by TWITTER, INSTAGRAM and MESSENGER.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImIdentityConnectionParams = Schema.Struct({ im: ProviderIdentity }).annotations({
  identifier: "ImIdentityConnectionParams"
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const TelegramConnectionParams = Schema.Struct({
  im: Schema.Struct({ user_id: Schema.String, username: Schema.String })
}).annotations({ identifier: "TelegramConnectionParams" })

/**
 * A unique identifier: any string of length ≥ 1.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UniqueId = Schema.String.pipe(
  Schema.minLength(1, { message: () => "expected a non-empty string (UniqueId, length ≥ 1)" })
).annotations({ identifier: "UniqueId", title: "UniqueId", description: "A unique identifier." })

/**
 * @since 0.1.0
 * @category schemas
 */
export const AccountSourceServiceStatus = Schema.Literal(
  "OK",
  "STOPPED",
  "ERROR",
  "CREDENTIALS",
  "PERMISSIONS",
  "CONNECTING"
).annotations({ identifier: "AccountSourceServiceStatus", description: "Possible values for sources[].status" })

/**
 * @since 0.1.0
 * @category models
 */
export type AccountSourceServiceStatus = typeof AccountSourceServiceStatus.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const Signature = Schema.Struct({ title: Schema.String, content: Schema.String }).annotations({
  identifier: "Signature"
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const AccountSource = Schema.Struct({ id: Schema.String, status: AccountSourceServiceStatus }).annotations({
  identifier: "AccountSource"
})

/**
 * The fields every variant carries after `object`, `type` and
 * `connection_params`: what a reader may rely on whatever the provider, and
 * what an {@link UnknownAccount} is decoded with too.
 *
 * @since 0.2.0
 * @category schemas
 */
export const commonFields = {
  id: UniqueId,
  name: Schema.String,
  created_at: IsoDateTime,
  current_signature: optional(UniqueId),
  signatures: optional(Schema.Array(Signature)),
  groups: Schema.Array(UniqueId),
  sources: Schema.Array(AccountSource)
}

const variant = <
  const Type extends string,
  ConnectionParams extends Schema.Schema.Any,
  Extra extends Schema.Struct.Fields = {}
>(
  identifier: string,
  type: Type,
  connectionParams: ConnectionParams,
  extra?: Extra
) =>
  // `type` precedes `object` on purpose: Effect's union parser indexes each member
  // by its first literal field, and only `type` tells the members apart.
  Schema.Struct({
    type: Schema.Literal(type),
    object: Schema.Literal("Account"),
    connection_params: connectionParams,
    ...commonFields,
    ...(extra as Extra)
  }).annotations({ identifier, title: `${type} account` })

/**
 * @since 0.1.0
 * @category variants
 */
export const MobileAccount = variant("MobileAccount", "MOBILE", MobileConnectionParams, {
  last_fetched_at: optional(IsoDateTime)
})
/**
 * @since 0.1.0
 * @category variants
 */
export const MailAccount = variant("MailAccount", "MAIL", MailConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const GoogleOAuthAccount = variant("GoogleOAuthAccount", "GOOGLE_OAUTH", OAuthConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const ICloudAccount = variant("ICloudAccount", "ICLOUD", MailConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const OutlookAccount = variant("OutlookAccount", "OUTLOOK", OAuthConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const GoogleCalendarAccount = variant("GoogleCalendarAccount", "GOOGLE_CALENDAR", GoogleCalendarConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const WhatsAppAccount = variant("WhatsAppAccount", "WHATSAPP", WhatsAppConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const LinkedInAccount = variant("LinkedInAccount", "LINKEDIN", LinkedInConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const SlackAccount = variant("SlackAccount", "SLACK", SlackConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const TwitterAccount = variant("TwitterAccount", "TWITTER", ImIdentityConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const ExchangeAccount = variant("ExchangeAccount", "EXCHANGE", MailConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const TelegramAccount = variant("TelegramAccount", "TELEGRAM", TelegramConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const InstagramAccount = variant("InstagramAccount", "INSTAGRAM", ImIdentityConnectionParams)
/**
 * @since 0.1.0
 * @category variants
 */
export const MessengerAccount = variant("MessengerAccount", "MESSENGER", ImIdentityConnectionParams)

/**
 * The 14 variant schemas, in the spec's order.
 *
 * @since 0.1.0
 * @category variants
 */
export const variants = [
  MobileAccount,
  MailAccount,
  GoogleOAuthAccount,
  ICloudAccount,
  OutlookAccount,
  GoogleCalendarAccount,
  WhatsAppAccount,
  LinkedInAccount,
  SlackAccount,
  TwitterAccount,
  ExchangeAccount,
  TelegramAccount,
  InstagramAccount,
  MessengerAccount
] as const
