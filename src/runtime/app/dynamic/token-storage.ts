import type { NuxtApp } from '#app'
import { getRequestHeader, getRequestProtocol, getResponseHeader, setResponseHeader } from 'h3'
import { readCookie, serializeTokenCookie, decodeTokenCookie } from '../../core/tokens/token-cookie'
import type { TokenSet } from '../../core/tokens/tokens'
import type { TokenStorage } from '../../core/tokens/token-session'
import type { PublicDynamicConfig } from '../../dynamic-options'

/** What a custom storage module's default export receives. */
export interface TokenStorageContext {
  api: string
  nuxtApp: NuxtApp
  options: PublicDynamicConfig
}

export type TokenStorageFactory = (context: TokenStorageContext) => TokenStorage

/**
 * The token cookie. In the browser it is read on every use (another tab may have refreshed);
 * during SSR it is read from the request once and every write becomes this response's
 * `Set-Cookie` (replacing an earlier one of ours), so a refresh on the server reaches the browser.
 */
export const cookieStorage: TokenStorageFactory = ({ nuxtApp, options }) => {
  const { cookie } = options
  if (import.meta.client) {
    return {
      read: () => decodeTokenCookie(readCookie(document.cookie, cookie.name)),
      write: (tokens) => {
        document.cookie = serializeTokenCookie(cookie, tokens, { secure: location.protocol === 'https:' })
      },
    }
  }
  // h3's helpers, not event.node: the same code runs where a request has no Node socket.
  const event = nuxtApp.ssrContext!.event
  let current: TokenSet | null = decodeTokenCookie(readCookie(getRequestHeader(event, 'cookie'), cookie.name))
  const secure = getRequestProtocol(event, { xForwardedProto: true }) === 'https'
  return {
    read: () => current,
    write: (tokens) => {
      const header = serializeTokenCookie(cookie, tokens, { secure })
      current = tokens
      const others = [getResponseHeader(event, 'set-cookie') ?? []].flat().map(String).filter(value => !value.startsWith(`${cookie.name}=`))
      setResponseHeader(event, 'set-cookie', [...others, header])
    },
  }
}

/** Per tab (or per SSR request): nothing survives a reload, and SSR renders logged out. */
export const memoryStorage: TokenStorageFactory = () => {
  let current: TokenSet | null = null
  return {
    read: () => current,
    write: (tokens) => {
      current = tokens
    },
  }
}
