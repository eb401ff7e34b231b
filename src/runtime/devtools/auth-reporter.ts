import { watch } from 'vue'
import { defineNuxtPlugin, useRuntimeConfig } from '#imports'
import { useCmsRegistry } from '../app/registry'
import type { PublicApiConfig } from '../types'
import { DEVTOOLS_ROUTE } from './devtools-route'

/**
 * Dev only, in the browser: tells the DevTools route about logins, refreshes, logouts and errors of
 * dynamic APIs, and their status and expiry. It sends those fields and nothing else (the route
 * keeps only known fields again); tokens stay where they are.
 */
export default defineNuxtPlugin({
  name: 'cms-auth:devtools-reporter',
  setup(nuxtApp) {
    const apis = (useRuntimeConfig().public.cmsAuth as { apis: Record<string, PublicApiConfig> }).apis
    const names = Object.keys(apis).filter(name => apis[name]!.mode === 'direct-dynamic' || apis[name]!.mode === 'proxy-session' || apis[name]!.mode === 'proxy-cookie')
    if (!names.length)
      return
    const report = (body: Record<string, unknown>) => {
      fetch(`${DEVTOOLS_ROUTE}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), keepalive: true }).catch(() => {})
    }
    const hook = nuxtApp.hook as unknown as (name: string, listener: (context: Record<string, unknown>) => void) => void
    for (const event of ['login', 'logout', 'refresh', 'error'] as const) {
      hook(`cms-auth:${event}`, ({ api, fromOtherTab, reason, error }) => {
        const failure = error as { reason?: string, statusCode?: number } | undefined
        report({ api, event, fromOtherTab, reason: reason ?? failure?.reason, statusCode: failure?.statusCode })
      })
    }
    nuxtApp.hook('app:mounted', () => {
      const { logins } = useCmsRegistry(nuxtApp)
      for (const api of names) {
        const auth = logins[api]?.public
        if (auth)
          watch([auth.status, auth.expiresAt], ([status, expiresAt]) => report({ api, event: 'state', status, expiresAt }), { immediate: true })
      }
    })
  },
})
