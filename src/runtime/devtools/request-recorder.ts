import type { H3Event } from 'h3'
import { getResponseStatus } from 'h3'
// @ts-ignore: a Nitro virtual module that src/devtools/register-devtools.ts generates in dev only
import builtApis from '#cms-auth-devtools-apis'
import { defineNitroPlugin } from 'nitropack/runtime'
import { pushLimited, useDevtoolsStore } from './devtools-store'
import type { DevtoolsApi } from './redact'
import { redactUrl } from './redact'

const apis = builtApis as DevtoolsApi[]

const started = Symbol('cms-auth-devtools-started')
const secretParams = apis.flatMap(api => api.credential.startsWith('query ') ? [api.credential.slice(6)] : [])

function apiOf(path: string): string | undefined {
  const pathname = path.split('?')[0]!
  return apis.find(api => api.routes.some(route => pathname === route || pathname.startsWith(`${route}/`)))?.name
}

/** Dev only: every request to a proxy or session route, with its status and time; paths redacted. */
export default defineNitroPlugin((nitroApp) => {
  const store = useDevtoolsStore()
  const record = (event: H3Event, status: number) => {
    const context = event.context as { [started]?: number }
    const api = context[started] !== undefined ? apiOf(event.path) : undefined
    if (!api)
      return
    pushLimited(store.requests, { api, method: event.method, path: redactUrl(event.path, secretParams), status, ms: Math.round(performance.now() - context[started]!), at: Date.now() })
    // Recorded once: a later error hook for the same event must not count it again.
    context[started] = undefined
  }
  nitroApp.hooks.hook('request', (event) => {
    if (apiOf(event.path))
      (event.context as { [started]?: number })[started] = performance.now()
  })
  nitroApp.hooks.hook('afterResponse', event => record(event, getResponseStatus(event)))
  nitroApp.hooks.hook('error', (error, { event }) => {
    if (event)
      record(event, (error as { statusCode?: number }).statusCode ?? 500)
  })
})
