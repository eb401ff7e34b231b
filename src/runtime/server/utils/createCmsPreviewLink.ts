import type { H3Event } from 'h3'
import { useRuntimeConfig } from 'nitropack/runtime'
import { DEFAULT_LINK_TTL } from '../../core/preview/preview-cookie-data'
import { signPreviewLink } from '../../core/preview/preview-link'
import { carriedLinkValues, linkCarriedParams } from '../../core/preview/preview-protocol'
import { safeRedirectTarget } from '../../core/preview/redirect-target'
import { appBase, useProxyApi } from '../proxy/proxy-config'

export interface CmsPreviewLinkOptions {
  /** The path of this site the editor lands on. @default the app's base path */
  to?: string
  /** Seconds the link may be used. @default 600 */
  ttl?: number
  /**
   * Values the preset carries into the preview (microCMS: `{ draftKey }`); a name the preset's
   * preview does not carry is refused (an error naming it), never put into the link.
   */
  carried?: Record<string, string>
}

/**
 * A signed, expiring link that puts the browser opening it into preview of API `name`, as a path
 * of this site (prefix it with the site's origin to send it). For the app's own server routes,
 * e.g. behind an editors-only login; the preview secret signs it and never leaves the server.
 */
export async function createCmsPreviewLink(_event: H3Event, name: string, options: CmsPreviewLinkOptions = {}): Promise<string> {
  const preview = useProxyApi(name)?.preview
  if (!preview)
    throw new Error(`[nuxt-cms-auth] cmsAuth.apis.${name} has no preview (set cmsAuth.apis.${name}.preview)`)
  if (preview.problem)
    throw new Error(`[nuxt-cms-auth] ${preview.problem}`)
  const base = appBase()
  const to = safeRedirectTarget(options.to ?? base, base)
  if (!to)
    throw new Error(`[nuxt-cms-auth] createCmsPreviewLink: "to" must be a path of this site under ${base}; got ${JSON.stringify(options.to)}`)
  const ttl = options.ttl ?? DEFAULT_LINK_TTL
  if (!Number.isInteger(ttl) || ttl <= 0)
    throw new Error(`[nuxt-cms-auth] createCmsPreviewLink: ttl must be a positive whole number of seconds; got ${JSON.stringify(options.ttl)}`)
  const params = linkCarriedParams(preview.protocol, options.carried ?? {})
  if ('error' in params)
    throw new Error(`[nuxt-cms-auth] createCmsPreviewLink(event, '${name}'): ${params.error}`)
  const expires = Math.floor(Date.now() / 1000) + ttl
  // Signed as the preview route will read them back from the link.
  const carried = carriedLinkValues(preview.protocol, params)
  const sig = await signPreviewLink(preview.secret, { api: name, to, expires, carried })
  const route = `${base.replace(/\/$/, '')}${(useRuntimeConfig().public.cmsAuth as unknown as { previewRoute: string }).previewRoute}/${name}`
  return `${route}?${new URLSearchParams({ ...params, to, expires: String(expires), sig })}`
}
