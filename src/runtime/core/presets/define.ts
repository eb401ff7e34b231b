import type { CmsAuthMode, CmsEndpoints, CredentialPlacement } from '../config-types'
import type { PreviewProtocol } from '../preview/preview-protocol'
import type { TokenSet, Verdict, WireResponse } from '../tokens/tokens'

export type { CredentialPlacement }

export const presetNames = ['kuroco', 'microcms', 'nocobase', 'cockpit', 'directus', 'strapi', 'payload', 'pocketbase', 'storyblok', 'contentful', 'ghost', 'wordpress', 'supabase', 'generic'] as const
export type PresetName = typeof presetNames[number]

export interface CmsPreset {
  name: PresetName
  /** What the vendor calls the credential, for error messages and docs. */
  credentialLabel: string
  /** Default placement of a static or dynamic token. */
  credential: CredentialPlacement
  /** Whether the CMS supports each auth mode (a mismatch is a build-time error). */
  supports: ReadonlyArray<'none' | 'static' | 'dynamic' | 'cookie'>
  /** Response headers the vendor documents as useful to the browser; the proxy passes them on. */
  responseHeaders?: readonly string[]
  /** The login/refresh protocol, for presets that support `auth: 'dynamic'`. */
  dynamic?: DynamicProtocol
  /**
   * Build time: what the preset's own options (`cmsAuth.apis.<name>.<preset name>`) and the API's
   * mode change for one API entry. Throws a config error naming the key for a mistake.
   */
  setup?: (context: PresetSetupContext) => PresetSetup
  /**
   * Server only: the header value a secret becomes on the wire, when it is not the secret itself
   * (Ghost Admin's signed token, WordPress's Basic). Used when `setup` says `serverCredential`.
   */
  serverCredential?: (secret: string, now: number) => Promise<ServerCredential>
  /**
   * With a login (`auth: 'dynamic'`), `token` is a project key sent beside the user's token on
   * every request, login and refresh included (Supabase's `apikey`).
   */
  loginKey?: { header: string }
  /**
   * Preview mode (`cmsAuth.apis.<name>.preview`): what a preview request changes (credential,
   * host, query). Presets without it refuse `preview` at build time.
   */
  preview?: PreviewProtocol
}

/** What `CmsPreset.setup` sees of one API entry. */
export interface PresetSetupContext {
  /** `cmsAuth.apis.<name>`, for messages; the preset's options live under `<key>.<preset name>`. */
  key: string
  /** `cmsAuth.apis.<name>.<preset name>` as written (undefined when absent). */
  options: unknown
  auth: CmsAuthMode
  /** The token known at build time ('' with `tokenFromEnv`). */
  token: string
}

/** What one API entry gets from its preset's options. */
export interface PresetSetup {
  /** Default paths for this API (Payload's collection is in every one); `endpoints` still override them. */
  endpoints?: CmsEndpoints
  /** Where this API's static credential goes (Storyblok's Management API: `Authorization`). */
  credential?: CredentialPlacement
  /** Why this API's secret must stay on the server: the build refuses it without `proxy`, saying so. */
  serverOnly?: string
  /** Why this API works only through the proxy (no secret involved): the build refuses it without `proxy`. */
  proxyOnly?: string
  /** The server turns the secret into the header value per request (`CmsPreset.serverCredential`). */
  serverCredential?: boolean
  /** Why this API entry has no drafts to preview (Storyblok's and Contentful's Management APIs): `preview` is refused, saying so. */
  noPreview?: string
}

/** A credential the server computed from a secret, and until when (epoch ms) it may be sent again. */
export interface ServerCredential {
  value: string
  reuseUntil: number
}

/**
 * How one CMS does dynamic tokens: data plus a few small functions, no I/O. The flows in
 * `core/tokens/token-flows.ts` run them, in the browser, during SSR and (later) in the proxy.
 */
export interface DynamicProtocol {
  /** Default paths under `baseURL`; each is overridable with `cmsAuth.apis.<name>.endpoints`. */
  endpoints: CmsEndpoints & { login: string }
  loginBody: (credentials: Record<string, unknown>) => unknown
  /** Kuroco's second step: the login response's body becomes the body sent to `endpoints.token`. */
  exchangeBody?: (loginResponseBody: any) => unknown
  /** Kuroco: the body that asks `endpoints.token` for an anonymous token. */
  anonymousBody?: unknown
  refreshBody?: (tokens: TokenSet) => unknown
  /**
   * What renews a session at `endpoints.refresh`: the refresh token (when unset), or the current
   * access token itself (Payload, PocketBase), which the CMS renews only while it is valid.
   */
  refreshWith?: 'access-token'
  logoutBody?: (tokens: TokenSet) => unknown
  /** Tokens from a login, exchange or refresh response; `undefined` when it holds none. */
  readTokens: (response: WireResponse, now: number) => TokenSet | undefined
  /** The user, when the login response carries it (so no user request is needed). */
  loginUser?: (body: any) => unknown
  /** The user from the user endpoint's response. @default the whole body */
  readUser?: (body: any) => unknown
  /** NocoBase renews an expired session in place: the new token arrives in a response header. */
  renewedToken?: (response: WireResponse) => string | null | undefined
  classify: (response: Pick<WireResponse, 'status' | 'body'>) => Verdict
  /** Where the dynamic token goes, when not where the preset's static key goes (Cockpit classic). */
  credential?: CredentialPlacement
  /**
   * Cookie mode: the login is a form post whose redirect is the answer (WordPress's wp-login.php),
   * with this body instead of the credentials as JSON.
   */
  cookieLogin?: (credentials: Record<string, unknown>) => URLSearchParams
  /**
   * Cookie mode: a token the CMS wants in `header` beside its cookies (WordPress's REST nonce),
   * asked from `endpoint` (its text body) with the cookies. The server keeps it with the CMS's
   * cookies, as one more of them named `name`, for `maxAge` seconds.
   */
  cookieToken?: { endpoint: string, header: string, name: string, maxAge: number }
}

/**
 * Presets are data: the folder is the catalogue, and this keeps each file the same shape. A
 * preset's login flow is also its own export (`<name>Protocol`): the browser needs only that, and a
 * bundler cannot drop the unused properties of an object it imports (names, labels, header lists).
 */
export function definePreset<T extends CmsPreset>(preset: T): T {
  return preset
}

export const bearer = (): CredentialPlacement => ({ header: 'Authorization', prefix: 'Bearer ' })
