import type { H3Event } from 'h3'
import { getCookie, getRequestHeader, getRequestProtocol, getResponseHeader, sealSession, setResponseHeader, unsealSession } from 'h3'
import { applySetCookies, clearCmsCookie, cmsCookieNames, jarCookieHeader, jarFromRequest, jarMaxAge, rewriteSetCookie, sameJar, selectCmsCookies, ssrCookieName } from '../../core/cookies/cms-cookies'
import type { CmsCookieJar, CmsCookieScope } from '../../core/cookies/cms-cookies'
import { loggedOutState as loggedOut } from '../../core/cookies/cookie-state'
import type { CookieSessionState } from '../../core/cookies/cookie-state'
import { responseStarted } from '../proxy/h3-request'
import type { ProxyApi } from '../proxy/proxy-config'
import { sessionPassword } from './session-config'

/**
 * Cookie mode through the proxy, per request: the jar of one upstream's CMS cookies (from the
 * proxy-path cookies or their sealed SSR copy), and how new ones reach the response.
 * cookie-session.ts uses it for proxied calls, SSR and the session routes.
 */

export const secureFor = (event: H3Event) => getRequestProtocol(event, { xForwardedProto: true }) === 'https'

/** One upstream's CMS cookies as this request knows them, shared by its calls to that upstream. */
export interface RequestCookieJar {
  /** The `Cookie` header for the CMS, or undefined. */
  header: () => string | undefined
  /** One cookie's value (the session token a preset keeps among the cookies: WordPress's nonce). */
  get: (name: string) => string | undefined
  /** The cookies of the sealed copy the request carried: what this server wrote, unlike the proxy-path cookies a client can invent. */
  sealedHeader: () => string | undefined
  /**
   * The CMS answered `setCookies`: the jar takes them, and the result is what the browser must
   * get: each as the app's own cookie, and the sealed copy for SSR rewritten.
   */
  take: (setCookies: string[]) => Promise<string[]>
  /** The sealed copy's `Set-Cookie` when it no longer matches the cookies the request carries. */
  resync: () => Promise<string[]>
  /** Logout, or the CMS ended the session: every cookie of this upstream the browser holds, cleared. */
  clear: () => string[]
  /** Who is logged in, asked once per request whatever the number of APIs on this upstream. */
  ask: (question: () => Promise<CookieSessionState>) => Promise<CookieSessionState>
  /** A login changed the session: the next `ask` asks again. */
  forget: () => void
}

/**
 * The jar of `api`'s upstream for this request: the proxy-path cookies when the request carries
 * them (proxy and session routes), otherwise the sealed copy (page requests during SSR).
 */
export function useRequestCookieJar(event: H3Event, api: ProxyApi): Promise<RequestCookieJar> {
  const jars = (event.context.cmsCookieJars ||= {}) as Record<string, Promise<RequestCookieJar>>
  return jars[api.cookieScope!.prefix] ||= openCookieJar(event, api.cookieScope!)
}

async function openCookieJar(event: H3Event, scope: CmsCookieScope): Promise<RequestCookieJar> {
  const mirror = ssrCookieName(scope)
  const seal = { name: mirror, password: sessionPassword() as string, sessionHeader: false as const }
  const secure = secureFor(event)
  const sealedValue = getCookie(event, mirror)
  // A copy sealed with another password, or tampered with, holds nothing.
  const sealed = sealedValue ? ((await unsealSession(event, seal, sealedValue).catch(() => undefined))?.data as { jar?: CmsCookieJar } | undefined)?.jar : undefined
  const selected = selectCmsCookies(getRequestHeader(event, 'cookie'), scope)
  let jar = jarFromRequest(selected, sealed, Date.now())
  let asked: Promise<CookieSessionState> | undefined
  const copyCookie = (value: string, maxAge: number | undefined) => [`${mirror}=${value}`, `Path=${scope.pagePath}`, ...(maxAge === undefined ? [] : [`Max-Age=${maxAge}`]), 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ')

  async function sealedCopy(): Promise<string> {
    const now = Date.now()
    if (!jarCookieHeader(jar, now))
      return copyCookie('', 0)
    const sessions = (event.context.sessions ||= Object.create(null)) as Record<string, unknown>
    sessions[mirror] = { id: '', createdAt: now, data: { jar } }
    return copyCookie(await sealSession(event, seal), jarMaxAge(jar, now))
  }

  return {
    header: () => jarCookieHeader(jar, Date.now()),
    get: (name) => {
      const cookie = jar[name]
      return cookie && (cookie.expires === undefined || cookie.expires > Date.now()) ? cookie.value : undefined
    },
    sealedHeader: () => sealed && jarCookieHeader(sealed, Date.now()),
    async take(setCookies) {
      jar = applySetCookies(jar, setCookies, Date.now())
      const own = setCookies.map(header => rewriteSetCookie(header, scope, secure)).filter(cookie => cookie !== undefined)
      return [...own, await sealedCopy()]
    },
    async resync() {
      return selected !== undefined && !sameJar(jar, sealed ?? {}) ? [await sealedCopy()] : []
    },
    clear() {
      // The proxy-path cookies a page request does not carry are known from the sealed copy.
      const names = new Set([...cmsCookieNames(getRequestHeader(event, 'cookie'), scope), ...Object.keys(jar).map(name => scope.prefix + name)])
      jar = {}
      asked = Promise.resolve(loggedOut)
      const cleared = [...names].map(name => clearCmsCookie(name, scope, secure))
      return sealedValue ? [...cleared, copyCookie('', 0)] : cleared
    },
    ask: question => asked ||= question(),
    forget() {
      asked = undefined
    },
  }
}

/**
 * Adds `setCookies` to the response (the page's during SSR, the session route's otherwise). A
 * later sealed copy replaces an earlier one: several CMS calls in one request end in one copy.
 */
export function sendCookies(event: H3Event, setCookies: string[], scope: CmsCookieScope): void {
  if (!setCookies.length || responseStarted(event))
    return
  const mirror = `${ssrCookieName(scope)}=`
  const replacesMirror = setCookies.some(cookie => cookie.startsWith(mirror))
  const current = [getResponseHeader(event, 'set-cookie') ?? []].flat().map(String)
  setResponseHeader(event, 'set-cookie', [...current.filter(cookie => !(replacesMirror && cookie.startsWith(mirror))), ...setCookies])
}
