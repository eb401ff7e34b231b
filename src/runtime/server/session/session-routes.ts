import type { H3Event } from 'h3'
import { defineEventHandler, readBody, setResponseHeaders } from 'h3'
import { isAuthError } from '../../core/tokens/tokens'
import { checkClient } from '../proxy/client-checks'
import { rateLimitSessionKey } from './session-key'
import { useProxyApi } from '../proxy/proxy-config'
import { sendProxyError } from '../proxy/proxy-error'
import type { ProxyApi } from '../proxy/proxy-config'
import { CookieSessionError, useCookieSession } from './cookie-session'
import { rateLimitedAnswer } from './session-failure'
import { useSessionApi } from './session-config'
import type { SessionApi } from './session-config'
import { SESSION_ENDED } from './session-proxy'
import { isStorageUnavailable, STORAGE_RETRY_AFTER } from '../storage/storage-bound'
import { useRequestSession } from './server-session'

const ACTIONS: Record<string, 'GET' | 'POST'> = { session: 'GET', login: 'POST', logout: 'POST', refresh: 'POST' }

/**
 * `<proxyPrefix>/_session/<name>/session|login|logout|refresh`: the browser's only way to a
 * server-held session. Answers `{ status, user, expiresAt }`, never a token. The API's client
 * checks (IP allow-list, same origin, rate limit) apply; same origin cannot be turned off.
 */
export default defineEventHandler(async (event) => {
  const route: string = event.context.matchedRoute?.path ?? ''
  const [name = '', action = ''] = event.path.slice(route.length - 3).split('?')[0]!.split('/').filter(Boolean)
  const proxy = useProxyApi(name)
  const api = proxy && useSessionApi(proxy)
  if (!(api || proxy?.mode === 'proxy-cookie') || !ACTIONS[action])
    return sendProxyError(event, 404, 'No such session route.')
  if ((event.method ?? 'GET') !== ACTIONS[action])
    return sendProxyError(event, 405, `Use ${ACTIONS[action]} here.`, { allow: ACTIONS[action]! })
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  try {
    if (!await checkClient(event, proxy!, headers, await rateLimitSessionKey(event, proxy!)))
      return
    setResponseHeaders(event, headers)
    return await (api ? tokenAction(event, api, action, headers) : cookieAction(event, proxy!, action))
  }
  catch (error) {
    // Nitro storage down or too slow: a clear 503, and the session stays as it was.
    if (isStorageUnavailable(error))
      return sendProxyError(event, 503, error.message, { ...headers, 'retry-after': STORAGE_RETRY_AFTER })
    throw error
  }
})

async function tokenAction(event: H3Event, api: SessionApi, action: string, headers: Record<string, string>) {
  const session = await useRequestSession(event, api)
  try {
    if (action === 'login')
      return await session.login(await credentialsOf(event))
    if (action === 'logout')
      return await session.logout()
    if (action === 'refresh')
      return await session.refresh()
    await session.settle()
    return session.state()
  }
  catch (error) {
    await session.commit()
    if (!isAuthError(error))
      throw error
    // Our own message (it names the step and status), never the CMS's body.
    const ended = session.ended() ? SESSION_ENDED : {}
    if (error.statusCode === 429) {
      const limited = rateLimitedAnswer(action === 'login' ? 'login' : 'renewal', session.retryAfter())
      return sendProxyError(event, limited.statusCode, limited.message, { ...headers, ...ended, ...limited.headers })
    }
    const status = error.reason === 'rejected' ? (action === 'login' ? 401 : 409) : 502
    return sendProxyError(event, status, error.message.replace('[nuxt-cms-auth] ', ''), { ...headers, ...ended })
  }
}

/** Cookie mode: the CMS's cookies are the session; `refresh` only asks the CMS who is logged in. */
async function cookieAction(event: H3Event, proxy: ProxyApi, action: string) {
  const session = useCookieSession(event, proxy)
  try {
    return action === 'login'
      ? await session.login(await credentialsOf(event))
      : action === 'logout' ? await session.logout() : await session.state()
  }
  catch (error) {
    if (!(error instanceof CookieSessionError))
      throw error
    return sendProxyError(event, error.status, error.message, error.headers)
  }
}

async function credentialsOf(event: H3Event): Promise<Record<string, unknown> | undefined> {
  const body = await readBody(event).catch(() => undefined)
  return body && typeof body === 'object' && Object.keys(body).length ? body as Record<string, unknown> : undefined
}
