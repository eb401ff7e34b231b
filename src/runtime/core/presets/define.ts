import type { CmsEndpoints } from '../../types'
import type { TokenSet, Verdict, WireResponse } from '../tokens'

/**
 * Where a CMS expects its credential: a request header (with an optional
 * value prefix such as `Bearer `) or a query parameter.
 */
export type CredentialPlacement
  = | { header: string, prefix?: string, query?: undefined }
    | { query: string, header?: undefined, prefix?: undefined }

export const presetNames = ['kuroco', 'microcms', 'nocobase', 'cockpit', 'directus', 'strapi', 'generic'] as const
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
}

/**
 * How one CMS does dynamic tokens: data plus a few small functions, no I/O. The flows in
 * `core/token-flows.ts` run them, in the browser, during SSR and (later) in the proxy.
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
