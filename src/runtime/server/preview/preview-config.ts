import { presets } from '../../core/presets'
import { secretSpellings } from '../../core/proxy/redact-secrets'
import { previewTarget } from '../../core/preview/preview-protocol'
import type { PreviewProtocol, PreviewTarget } from '../../core/preview/preview-protocol'
import type { CredentialPlacement } from '../../types'
import type { BuiltPreviewOptions } from '../built-options'

/** The server-only preview values of one API in runtimeConfig (`NUXT_CMS_AUTH_APIS_<NAME>_PREVIEW_*`). */
export interface PrivatePreviewConfig {
  token?: string
  secret?: string
  baseURL?: string
}

/** One API's preview, resolved once per server start (proxy-config.ts builds it with its proxy API). */
export interface PreviewApi {
  /** A direct API's route: it serves preview requests and refuses every other one. */
  only: boolean
  /** Seconds a preview lasts. */
  maxAge: number
  protocol: PreviewProtocol
  /** Where preview requests go and what they carry; unset when `problem` says why not. */
  target?: PreviewTarget & {
    upstream?: URL
    /** The preview token and link secret as a CMS error page could quote them (transport.ts removes them). */
    secretSpellings: string[]
    /** What an editor is told when the CMS answers 401 to the preview token (its env variable). */
    refused: string
  }
  /** The link secret ('' when unset: only the server's own signed links… which need it too). */
  secret: string
  /** Set when this deployment cannot serve previews (no token, unknown drafts' host): the message. */
  problem?: string
}

export interface PreviewApiInput {
  name: string
  built: BuiltPreviewOptions
  secrets: PrivatePreviewConfig | undefined
  /** The API's base URL on this deployment (under the app base when it is a path). */
  baseURL: string
  credential: CredentialPlacement
  headers: Record<string, string>
  /** Puts a path of this app under the app base, as the API's own base URL is. */
  underAppBase: (url: string) => string
}

export function createPreviewApi({ name, built, secrets, baseURL, credential, headers, underAppBase }: PreviewApiInput): PreviewApi {
  const protocol = presets[built.preset].preview ?? {}
  const secret = secrets?.secret ?? ''
  const token = secrets?.token ?? ''
  const base = { only: built.only, maxAge: built.maxAge, protocol, secret }
  if (!token)
    return { ...base, problem: `cmsAuth.apis.${name}.preview.token is empty on this deployment (set ${built.env.token})` }
  if (!secret)
    return { ...base, problem: `cmsAuth.apis.${name}.preview.secret is empty on this deployment (set ${built.env.secret}): without it no preview link can be checked` }
  const previewBaseURL = secrets?.baseURL ? underAppBase(secrets.baseURL.replace(/\/+$/, '')) : ''
  const target = previewTarget({ protocol, baseURL, previewBaseURL, credential, headers, options: { query: built.query, headers: built.headers }, token })
  if ('error' in target)
    return { ...base, problem: `cmsAuth.apis.${name}.preview.baseURL is needed: ${target.error} ${JSON.stringify(baseURL)} (set ${built.env.baseURL})` }
  return { ...base, target: { ...target, upstream: /^https?:\/\//.test(target.baseURL) ? new URL(target.baseURL) : undefined, secretSpellings: secretSpellings([token, secret]), refused: `The CMS refused the preview token of cmsAuth.apis.${name} (401): set ${built.env.token} to a token that may read drafts.` } }
}
