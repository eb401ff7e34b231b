import { randomUUID } from 'node:crypto'
import { createRouter, defineEventHandler, getHeader, getQuery, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'

/** Contentful's error body for a missing or unknown token (every API answers it the same way). */
function invalidToken(event: H3Event) {
  setResponseStatus(event, 401)
  return { sys: { type: 'Error', id: 'AccessTokenInvalid' }, message: 'The access token you sent could not be found or is invalid.', requestId: event.context.requestId }
}

const entries = [{ sys: { id: 'e1', type: 'Entry' }, fields: { title: 'Contentful entry from the delivery API' } }]
const draftEntries = [...entries, { sys: { id: 'e2', type: 'Entry' }, fields: { title: 'Contentful draft entry from the preview API' } }]

/**
 * Contentful: the delivery API (`/cdn/spaces/…`, the CDA host), the preview API (`/preview/spaces/…`,
 * the CPA host: drafts too, with the preview token only) and the management API (`/cma/spaces/…`,
 * the CMA host), each with `Authorization: Bearer` or `?access_token=`. Every answer has an
 * `X-Contentful-Request-Id`.
 */
export function contentfulRouter(state: MockCmsState, keys: () => MockTokens) {
  const router = createRouter()
  const tokenOf = (event: H3Event) => getHeader(event, 'authorization')?.replace(/^Bearer /, '') ?? getQuery(event).access_token
  const tagged = (event: H3Event) => {
    event.context.requestId = randomUUID()
    setResponseHeader(event, 'x-contentful-request-id', event.context.requestId)
  }
  router.get('/cdn/spaces/:space/environments/:environment/entries', defineEventHandler((event) => {
    tagged(event)
    count(state, 'contentful.cdn')
    if (tokenOf(event) !== keys().contentful)
      return invalidToken(event)
    return { sys: { type: 'Array' }, total: entries.length, skip: 0, limit: 100, items: entries }
  }))
  router.get('/preview/spaces/:space/environments/:environment/entries', defineEventHandler((event) => {
    tagged(event)
    count(state, 'contentful.preview')
    if (tokenOf(event) !== keys().contentfulPreview)
      return invalidToken(event)
    return { sys: { type: 'Array' }, total: draftEntries.length, skip: 0, limit: 100, items: draftEntries }
  }))
  router.get('/cma/spaces/:space/environments/:environment/entries', defineEventHandler((event) => {
    tagged(event)
    count(state, 'contentful.management')
    if (tokenOf(event) !== keys().contentfulManagement)
      return invalidToken(event)
    return { sys: { type: 'Array' }, total: 1, skip: 0, limit: 100, items: [{ sys: { id: 'e1', type: 'Entry', version: 3 }, fields: { title: { 'en-US': 'Contentful entry from the management API' } } }] }
  }))
  return router
}
