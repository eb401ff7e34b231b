import type { H3Event } from 'h3'
import { getCookie, getRequestHeader, getRequestProtocol, getResponseHeader, sealSession, setResponseHeader, unsealSession } from 'h3'
import type { $Fetch, FetchContext } from 'ofetch'
import { createCmsClient } from '../../core/cms-client'
import { applySetCookies, clearCmsCookie, cmsCookieNames, jarCookieHeader, jarFromRequest, jarMaxAge, rewriteSetCookie, sameJar, selectCmsCookies, ssrCookieName } from '../../core/cms-cookies'
import type { CmsCookieJar, CmsCookieScope } from '../../core/cms-cookies'
import { cookieSessionState, loggedOutState as loggedOut } from '../../core/cookie-state'
import type { CookieSessionState } from '../../core/cookie-state'
import { presets } from '../../core/presets'
import type { UpstreamRequest } from '../forward-upstream'
import { serverClientConfig } from '../proxy-config'
import type { ProxyApi } from '../proxy-config'
import { sessionPassword } from './session-config'

/** A login or a CMS answer the session routes turn into a JSON error of their own. */
export class CookieSessionError extends Error {
  constructor(public status: number, message: string) {
    super(message)
  }
}

const secureFor = (event: H3Event) => getRequestProtocol(event, { xForwardedProto: true }) === 'https'

/** One upstream's CMS cookies as this request knows them, shared by its calls to that upstream. */
interface RequestCookieJar {
  /** The `Cookie` header for the CMS, or undefined. */
  header: () => string | undefined
  /**
   * The CMS answered `setCookies`: the jar takes them, and the result is what the browser must
   * get: each as the app's own cookie, and the sealed copy for SSR rewritten.
   */
  take: (setCookies: string[]) => Promise<string[]>
  /** The sealed copy's `Set-Cookie` when it no longer matches the cookies the request carries. */
  resync: () => Promise<string[]>
  /** Logout: every cookie of this upstream the browser holds, cleared. */
  clear: () => string[]
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
    async take(setCookies) {
      jar = applySetCookies(jar, setCookies, Date.now())
      const own = setCookies.map(header => rewriteSetCookie(header, scope, secure)).filter(cookie => cookie !== undefined)
      return [...own, await sealedCopy()]
    },
    async resync() {
      return selected !== undefined && !sameJar(jar, sealed ?? {}) ? [await sealedCopy()] : []
    },
    clear() {
      jar = {}
      const names = cmsCookieNames(getRequestHeader(event, 'cookie'), scope)
      const cleared = names.map(name => clearCmsCookie(name, scope, secure))
      return sealedValue ? [...cleared, copyCookie('', 0)] : cleared
    },
  }
}

/**
 * Adds `setCookies` to the response (the page's during SSR, the session route's otherwise). A
 * later sealed copy replaces an earlier one: several CMS calls in one request end in one copy.
 */
function sendCookies(event: H3Event, setCookies: string[], scope: CmsCookieScope): void {
  if (!setCookies.length || event.node.res.headersSent)
    return
  const mirror = `${ssrCookieName(scope)}=`
  const replacesMirror = setCookies.some(cookie => cookie.startsWith(mirror))
  const current = [getResponseHeader(event, 'set-cookie') ?? []].flat().map(String)
  setResponseHeader(event, 'set-cookie', [...current.filter(cookie => !(replacesMirror && cookie.startsWith(mirror))), ...setCookies])
}

/** A proxied request of a cookie-mode API: this upstream's cookies go up, its `Set-Cookie` come back renamed. */
export function withCmsCookies(event: H3Event, api: ProxyApi, request: UpstreamRequest): void {
  const cookies = selectCmsCookies(getRequestHeader(event, 'cookie'), api.cookieScope!)
  if (cookies)
    request.headers.cookie = cookies
  // Opened only when the CMS sets a cookie: most proxied responses do not.
  request.rewriteSetCookie = async setCookies => (await useRequestCookieJar(event, api)).take(setCookies)
}

/**
 * SSR's client of a cookie-mode API: calls the CMS with the visitor's cookies (from the sealed
 * copy), and hands a cookie the CMS sets to the page's response, as the proxy would.
 */
export async function cookieSessionClient(event: H3Event, api: ProxyApi): Promise<$Fetch> {
  const jar = await useRequestCookieJar(event, api)
  const relay = async ({ response }: FetchContext) => {
    const setCookies = response?.headers.getSetCookie() ?? []
    if (setCookies.length)
      sendCookies(event, await jar.take(setCookies), api.cookieScope!)
  }
  return createCmsClient(api.name, serverClientConfig(api), (options) => {
    const cookie = jar.header()
    if (cookie)
      (options.headers as Headers).set('cookie', cookie)
    options.onResponse = [options.onResponse || [], relay].flat()
  })
}

/**
 * `login`, `logout` and `session` of a cookie-mode API, run on the server: the browser posts the
 * credentials, the CMS's session cookies come back as the app's own (httpOnly, proxy path).
 */
export function useCookieSession(event: H3Event, api: ProxyApi) {
  const scope = api.cookieScope!
  const { endpoints, preset } = api.cookieSession!
  const opened = useRequestCookieJar(event, api)

  async function send(path: string, method: 'GET' | 'POST', body?: unknown) {
    const jar = await opened
    const cookie = jar.header()
    const response = await $fetch.raw(path, {
      baseURL: api.baseURL,
      method,
      body: body as Record<string, unknown> | undefined,
      headers: { ...api.headers, ...(cookie ? { cookie } : {}) },
      ignoreResponseError: true,
      timeout: api.timeout,
    }).catch(() => {
      throw new CookieSessionError(502, `The CMS could not be reached at ${path}.`)
    })
    const setCookies = response.headers.getSetCookie()
    if (setCookies.length)
      sendCookies(event, await jar.take(setCookies), scope)
    return response
  }

  async function state(): Promise<CookieSessionState> {
    const jar = await opened
    // A browser logged in before the sealed copy existed (or whose copy drifted) gets it now.
    sendCookies(event, await jar.resync(), scope)
    if (!jar.header())
      return loggedOut
    if (!endpoints.user)
      return { status: 'logged-in', user: null, expiresAt: null }
    const response = await send(endpoints.user, 'GET')
    const known = cookieSessionState(response.status, response._data, presets[preset].dynamic?.readUser)
    if (!known)
      throw new CookieSessionError(502, `The CMS answered ${response.status} to ${endpoints.user}.`)
    return known
  }

  return {
    state,
    async login(credentials: Record<string, unknown> | undefined): Promise<CookieSessionState> {
      const response = await send(endpoints.login, 'POST', credentials ?? {})
      if (!response.ok)
        throw new CookieSessionError(response.status >= 500 ? 502 : 401, `The CMS refused the login (${response.status} from ${endpoints.login}).`)
      const next = await state()
      if (next.status !== 'logged-in')
        throw new CookieSessionError(401, `The CMS accepted the login but set no session cookie that ${endpoints.user ?? 'it'} accepts.`)
      return next
    },
    async logout(): Promise<CookieSessionState> {
      const jar = await opened
      if (endpoints.logout && jar.header())
        await send(endpoints.logout, 'POST', {}).catch(() => undefined)
      sendCookies(event, jar.clear(), scope)
      return loggedOut
    },
  }
}
