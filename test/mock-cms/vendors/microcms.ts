import { createRouter, defineEventHandler, getHeader, getQuery, getRouterParam, setResponseStatus } from 'h3'
import { blogs, draftBlog } from '../content'
import { mockTokens } from '../tokens'
import type { MockCmsState } from '../state'
import { count } from '../state'

/**
 * microCMS: a GET-only key; a write with it is answered as microCMS does, with 400 (not 403). A draft
 * is read with a key that has the draft permission and the draft's `draftKey` (from the CMS's
 * preview link); with anything less, microCMS answers as if it did not exist.
 */
export function microcmsRouter(state: MockCmsState, key: () => string, draftKey: () => string = () => mockTokens.microcmsPreview) {
  const router = createRouter()
  router.use('/api/v1/:endpoint', defineEventHandler((event) => {
    count(state, 'microcms.content')
    const sent = getHeader(event, 'x-microcms-api-key')
    if (sent !== key() && sent !== draftKey()) {
      setResponseStatus(event, 401)
      return { message: 'X-MICROCMS-API-KEY header is invalid.' }
    }
    if (event.method !== 'GET') {
      setResponseStatus(event, 400)
      return { message: `${event.method} is forbidden.` }
    }
    if (getRouterParam(event, 'endpoint') !== 'blogs') {
      setResponseStatus(event, 404)
      return { message: 'Content is not found.' }
    }
    const { draftKey: given } = getQuery(event)
    const contents = sent === draftKey() && given === draftBlog.draftKey ? [...blogs, { id: draftBlog.id, title: draftBlog.title }] : blogs
    return { contents, totalCount: contents.length, offset: 0, limit: 10 }
  }))
  return router
}
