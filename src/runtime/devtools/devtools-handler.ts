import { createError, defineEventHandler, getRequestURL, readBody, setResponseHeader } from 'h3'
// @ts-ignore: a Nitro virtual module that src/devtools/register-devtools.ts generates in dev only
import builtApis from '#cms-auth-devtools-apis'
import { recordAuthEvent, useDevtoolsStore } from './devtools-store'
import { devtoolsPage } from './devtools-page'
import { DEVTOOLS_ROUTE } from './devtools-route'
import type { DevtoolsApi } from './redact'
import { sanitizeAuthEvent } from './redact'

const apis = builtApis as DevtoolsApi[]
const apiNames = apis.map(api => api.name)

/** Dev only. Everything it answers was redacted before it was stored (see redact.ts). */
export default defineEventHandler(async (event) => {
  const path = getRequestURL(event).pathname.slice(DEVTOOLS_ROUTE.length) || '/'
  const store = useDevtoolsStore()
  if (path === '/' && event.method === 'GET') {
    setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
    return devtoolsPage
  }
  if (path === '/state' && event.method === 'GET')
    return { now: Date.now(), apis, tokens: store.tokens, timeline: store.timeline, requests: store.requests }
  if (path === '/events' && event.method === 'POST') {
    const reported = sanitizeAuthEvent(await readBody(event).catch(() => undefined), apiNames)
    if (reported)
      recordAuthEvent(store, reported)
    return { recorded: Boolean(reported) }
  }
  throw createError({ statusCode: 404, statusMessage: 'Not a nuxt-cms-auth DevTools route' })
})
