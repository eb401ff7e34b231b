import { configHints } from '../features'
import type { TokenSet } from './tokens'

/** Browsers keep at most 4096 bytes per cookie (name, value and attributes). */
export const MAX_COOKIE_BYTES = 4096

export interface TokenCookieOptions {
  name: string
  path: string
  domain?: string
  /** Seconds; default: until the refresh token expires, else a session cookie. */
  maxAge?: number
  sameSite: 'lax' | 'strict' | 'none'
  secure?: boolean
}

/** The cookie value: the token set as URI-encoded JSON (readable by SSR and by the page). */
export function encodeTokenCookie(tokens: TokenSet): string {
  return encodeURIComponent(JSON.stringify(tokens))
}

export function decodeTokenCookie(value: string | undefined): TokenSet | null {
  if (!value)
    return null
  try {
    const tokens = JSON.parse(decodeURIComponent(value))
    return typeof tokens?.accessToken === 'string' && tokens.accessToken ? tokens : null
  }
  catch {
    return null
  }
}

/** One cookie's raw value from a `Cookie` header or `document.cookie`. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name)
      return part.slice(at + 1).trim()
  }
  return undefined
}

/** A `Set-Cookie` / `document.cookie` string; `null` tokens delete the cookie. */
export function serializeTokenCookie(options: TokenCookieOptions, tokens: TokenSet | null, context: { secure: boolean, now?: number }): string {
  const now = context.now ?? Date.now()
  const lifetime = tokens?.refreshExpiresAt ? Math.max(0, Math.floor((tokens.refreshExpiresAt - now) / 1000)) : undefined
  const maxAge = tokens ? options.maxAge ?? lifetime : 0
  const sameSite = options.sameSite[0]!.toUpperCase() + options.sameSite.slice(1)
  const cookie = [
    `${options.name}=${tokens ? encodeTokenCookie(tokens) : ''}`,
    `Path=${options.path}`,
    options.domain && `Domain=${options.domain}`,
    maxAge !== undefined && `Max-Age=${maxAge}`,
    `SameSite=${sameSite}`,
    (options.secure ?? context.secure) && 'Secure',
  ].filter(Boolean).join('; ')
  if (cookie.length > MAX_COOKIE_BYTES)
    throw new Error(`[nuxt-cms-auth] the token cookie "${options.name}" would be ${cookie.length} bytes, more than browsers keep${configHints ? ` (${MAX_COOKIE_BYTES}); set dynamic.storage: 'memory' (or a custom storage) for this API` : ''}`)
  return cookie
}
