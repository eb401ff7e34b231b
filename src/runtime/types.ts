import type { CredentialPlacement, PresetName } from './core/presets/define'

export type { CredentialPlacement, PresetName }

/** What the CMS wants from a request (see the table in the README). */
export type CmsAuthMode = 'none' | 'static' | 'dynamic' | 'cookie'
export const authModes: readonly CmsAuthMode[] = ['none', 'static', 'dynamic', 'cookie']

export interface CmsEndpoints {
  login?: string
  token?: string
  refresh?: string
  logout?: string
  user?: string
}

/** One entry of `cmsAuth.apis`. */
export interface CmsApiOptions {
  /** Wire protocol of the CMS. @default 'generic' */
  preset?: PresetName
  /** Where the API lives: an absolute http(s) URL, or a path served by this app (`/mock-cms/...`). */
  baseURL: string
  /** What the CMS wants from each request. @default 'none' */
  auth?: CmsAuthMode
  /** Call the CMS through this app's server so secrets stay there. @default false */
  proxy?: boolean
  /**
   * Static token / API key (`auth: 'static'`). For a direct API it is sent by the browser, so it
   * must be a read-only key; overridable at runtime with `NUXT_PUBLIC_CMS_AUTH_APIS_<NAME>_TOKEN`.
   */
  token?: string
  /**
   * The token is only given to the built server at runtime (by its env variable), so an empty
   * `token` at build time is expected rather than an error.
   */
  tokenFromEnv?: boolean
  /** Override the preset's credential placement: `{ header, prefix? }` or `{ query }`. */
  credential?: Partial<{ header: string, prefix: string, query: string }>
  /** Extra non-secret headers for every request to this API (e.g. NocoBase `X-Authenticator`). */
  headers?: Record<string, string>
  /** Endpoint paths for login flows (dynamic and cookie modes). */
  endpoints?: CmsEndpoints
}

export interface ModuleOptions {
  apis: Record<string, CmsApiOptions>
}

/** The browser-safe part of an API's config, in `runtimeConfig.public.cmsAuth.apis.<name>`. */
export interface PublicApiConfig {
  baseURL: string
  auth: CmsAuthMode
  credential: CredentialPlacement
  headers?: Record<string, string>
  /** Only for direct static APIs, where the browser sends it anyway. */
  token?: string
}

/**
 * Filled by the generated `types/cms-auth.d.ts` with the configured API names, so composables
 * reject names that are not in `cmsAuth.apis`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CmsApiRegistry {}

export type CmsApiName = [keyof CmsApiRegistry] extends [never] ? string : keyof CmsApiRegistry & string
