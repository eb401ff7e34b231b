import type { H3Event } from 'h3'
import { getCookie, getRequestProtocol, sealSession, setCookie, unsealSession } from 'h3'
import { activePreviewEntries, cookieMaxAge, PREVIEW_COOKIE } from '../../core/preview/preview-cookie-data'
import type { PreviewCookieData, PreviewEntry } from '../../core/preview/preview-cookie-data'

// h3's seal (iron, Web Crypto) under the module's session password; no session header, and no
// `useSession`, which would set a cookie on every visitor it reads.
const sealConfig = (password: string) => ({ name: PREVIEW_COOKIE, password, sessionHeader: false as const })

/**
 * The APIs the request's preview cookie puts in preview (still valid), or none. Only h3 here: the
 * app's SSR plugin reads it too, with the same password from its runtimeConfig. A cookie sealed
 * with another password, tampered with or expired counts as none.
 */
export async function readPreviewCookie(event: H3Event, password: string): Promise<Record<string, PreviewEntry>> {
  const sealed = getCookie(event, PREVIEW_COOKIE)
  if (!sealed || !password)
    return {}
  const unsealed = await unsealSession(event, sealConfig(password), sealed).catch(() => undefined) as { data?: unknown } | undefined
  return activePreviewEntries(unsealed?.data, Date.now())
}

/** Seals `data` into the preview cookie: httpOnly, SameSite=Lax, Secure on https, as long as its longest entry. */
export async function writePreviewCookie(event: H3Event, password: string, data: PreviewCookieData, path: string): Promise<void> {
  const sessions = (event.context.sessions ||= Object.create(null)) as Record<string, unknown>
  sessions[PREVIEW_COOKIE] = { id: 'preview', createdAt: Date.now(), data }
  const value = await sealSession(event, sealConfig(password))
  setCookie(event, PREVIEW_COOKIE, value, { ...cookieAttributes(event, path), maxAge: cookieMaxAge(data, Date.now()) })
}

export function clearPreviewCookie(event: H3Event, path: string): void {
  setCookie(event, PREVIEW_COOKIE, '', { ...cookieAttributes(event, path), maxAge: 0 })
}

function cookieAttributes(event: H3Event, path: string) {
  return { httpOnly: true, sameSite: 'lax' as const, path, secure: getRequestProtocol(event, { xForwardedProto: true }) === 'https' }
}
