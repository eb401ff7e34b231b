import { createApp, createRouter, defineEventHandler, getRequestHeaders, handleCors, useBase } from 'h3'
import type { App, H3CorsOptions } from 'h3'
import type { MockCmsState } from './state'
import { createMockState } from './state'
import type { MockTokens } from './tokens'
import { mockTokens } from './tokens'
import { contentfulRouter } from './vendors/contentful'
import { directusRouter } from './vendors/directus'
import { directusAuthRouter } from './vendors/directus-auth'
import { ghostRouter } from './vendors/ghost'
import { kurocoRouter } from './vendors/kuroco'
import { kurocoCookieRouter } from './vendors/kuroco-cookie'
import { directCookieApiIds, kurocoCookieDirectRouter } from './vendors/kuroco-cookie-direct'
import { kurocoMemberRouter } from './vendors/kuroco-member'
import { cacheLabRouter } from './vendors/cache-lab'
import { labRouter } from './vendors/lab'
import { createMemberAuth } from './vendors/member-auth'
import { microcmsRouter } from './vendors/microcms'
import { nocobaseRouter } from './vendors/nocobase'
import { payloadRouter } from './vendors/payload'
import { pocketbaseRouter } from './vendors/pocketbase'
import { storyblokRouter } from './vendors/storyblok'
import { strapiRouter } from './vendors/strapi'
import { supabaseGateway, supabaseRouter } from './vendors/supabase'
import { wordpressRouter } from './vendors/wordpress'

export { mockTokens } from './tokens'
export type { MockCmsState, RecordedRequest } from './state'

export interface MockCms {
  app: App
  state: MockCmsState
  /** Accepted credentials; tests change them to prove runtime overrides. */
  tokens: MockTokens
  reset: () => void
}

/**
 * One mock server for every CMS protocol the module speaks, mounted under `/<vendor>/…`.
 * `GET /__mock/state` shows what reached it; `POST /__mock/reset` clears it.
 */
export function createMockCms(tokens: Partial<MockTokens> = {}): MockCms {
  const state = createMockState()
  // Login/refresh endpoints' tokens and knobs (`POST /__mock/knobs`, `POST /__mock/expire-access`).
  const memberAuth = createMemberAuth(state)
  const accepted: MockTokens = { ...mockTokens, ...tokens }
  // Kuroco cookie security: api_ids 4 and 5 share the cookie sessions, as Kuroco's do.
  const kurocoCookie = kurocoCookieRouter(state, memberAuth)
  // Kuroco cookie security called by the browser itself (direct cookie mode): api_ids 6 and 7.
  const kurocoCookieDirect = kurocoCookieDirectRouter(state)
  const credentialed = new RegExp(`^/kuroco/rcms-api/(?:${directCookieApiIds.join('|')})/`)
  const app = createApp()

  // Real CMSs answer CORS for the site's origin; the browser tests call the mock cross-origin.
  // With cookies, browsers want the exact origin and Allow-Credentials, never `*`.
  app.use(defineEventHandler((event) => {
    const cors: H3CorsOptions = credentialed.test(event.path)
      ? { origin: () => true, credentials: true, methods: ['GET', 'POST'], allowHeaders: '*' }
      : { origin: '*', methods: '*', allowHeaders: '*' }
    if (handleCors(event, cors))
      return ''
  }))
  app.use(defineEventHandler((event) => {
    const vendor = event.path.split('/')[1] ?? ''
    if (vendor !== '__mock')
      state.requests.push({ vendor, method: event.method, path: event.path, rawTarget: event.node.req.originalUrl ?? event.node.req.url ?? '', headers: getRequestHeaders(event) as Record<string, string> })
  }))

  const reset = () => {
    state.requests.length = 0
    state.counters = {}
    memberAuth.reset()
    kurocoCookie.reset()
    kurocoCookieDirect.reset()
  }
  const control = createRouter()
  control.get('/state', defineEventHandler(() => state))
  control.post('/reset', defineEventHandler(() => {
    reset()
    return { ok: true }
  }))
  control.get('/echo', defineEventHandler(event => ({ headers: getRequestHeaders(event) })))
  app.use('/__mock', useBase('/__mock', control.handler))

  app.use('/__mock', useBase('/__mock', memberAuth.control.handler))

  for (const apiId of [4, 5])
    app.use(`/kuroco/rcms-api/${apiId}`, useBase(`/kuroco/rcms-api/${apiId}`, kurocoCookie.router.handler))
  for (const apiId of directCookieApiIds)
    app.use(`/kuroco/rcms-api/${apiId}`, useBase(`/kuroco/rcms-api/${apiId}`, kurocoCookieDirect.router.handler))
  app.use('/kuroco/rcms-api/3', useBase('/kuroco/rcms-api/3', kurocoMemberRouter(state, memberAuth).handler))
  app.use('/kuroco', useBase('/kuroco', kurocoRouter(state, () => accepted.kuroco).handler))
  app.use('/microcms', useBase('/microcms', microcmsRouter(state, () => accepted.microcms).handler))
  app.use('/directus', useBase('/directus', directusRouter(state, () => accepted.directus).handler))
  app.use('/directus', useBase('/directus', directusAuthRouter(state, memberAuth).handler))
  app.use('/strapi', useBase('/strapi', strapiRouter(state, memberAuth).handler))
  app.use('/nocobase', useBase('/nocobase', nocobaseRouter(state, memberAuth).handler))
  app.use('/lab', useBase('/lab', labRouter(state, () => accepted.microcmsWrite).handler))
  app.use('/cachelab', useBase('/cachelab', cacheLabRouter(state).handler))
  app.use('/payload', useBase('/payload', payloadRouter(state, memberAuth, () => accepted).handler))
  app.use('/pocketbase', useBase('/pocketbase', pocketbaseRouter(state, memberAuth, () => accepted).handler))
  // Storyblok's and Contentful's APIs live on separate hosts; here, separate prefixes.
  app.use('/storyblok', useBase('/storyblok', storyblokRouter(state, () => accepted).handler))
  app.use('/contentful', useBase('/contentful', contentfulRouter(state, () => accepted).handler))
  // Ghost's own paths start with /ghost too: the mount strips the vendor prefix, nothing else may.
  app.use('/ghost', ghostRouter(state, () => accepted).handler)
  app.use('/wordpress', useBase('/wordpress', wordpressRouter(state, () => accepted).handler))
  app.use('/supabase', supabaseGateway(state, () => accepted))
  app.use('/supabase', useBase('/supabase', supabaseRouter(state, memberAuth).handler))

  return {
    app,
    state,
    tokens: accepted,
    reset,
  }
}
