/**
 * What the sealed preview cookie holds: for each API in preview, until when (epoch ms) and the
 * values its preview link carried (microCMS `draftKey`). The browser never reads it (httpOnly,
 * sealed); the page only learns which API names are in preview.
 */
export interface PreviewCookieData {
  apis: Record<string, PreviewEntry>
}

export interface PreviewEntry {
  until: number
  carried?: Record<string, string>
}

/** The cookie's name: one cookie for every API in preview. */
export const PREVIEW_COOKIE = 'cms-auth-preview'

/** Seconds a preview lasts after entering, unless `preview.maxAge` says. */
export const DEFAULT_PREVIEW_MAX_AGE = 3600

/** Seconds a link minted by `createCmsPreviewLink` stays valid, unless its `ttl` says. */
export const DEFAULT_LINK_TTL = 600

/** The entries still valid at `now`, from whatever an unsealed cookie held (anything else: none). */
export function activePreviewEntries(data: unknown, now: number): Record<string, PreviewEntry> {
  const apis = (data as Partial<PreviewCookieData> | undefined)?.apis
  if (typeof apis !== 'object' || apis === null)
    return {}
  const active: Record<string, PreviewEntry> = {}
  for (const [name, entry] of Object.entries(apis)) {
    if (typeof entry?.until === 'number' && entry.until > now)
      active[name] = { until: entry.until, ...(isStringRecord(entry.carried) ? { carried: entry.carried } : {}) }
  }
  return active
}

/** The cookie's data with `api` entered for `maxAge` seconds from `now`, expired entries dropped. */
export function withPreviewEntry(data: unknown, api: string, maxAge: number, now: number, carried: Record<string, string> = {}): PreviewCookieData {
  const apis = activePreviewEntries(data, now)
  apis[api] = { until: now + maxAge * 1000, ...(Object.keys(carried).length ? { carried } : {}) }
  return { apis }
}

/** Seconds the cookie must live for its longest entry. */
export function cookieMaxAge(data: PreviewCookieData, now: number): number {
  const until = Math.max(0, ...Object.values(data.apis).map(entry => entry.until))
  return Math.max(0, Math.ceil((until - now) / 1000))
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every(item => typeof item === 'string')
}
