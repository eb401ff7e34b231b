import { createRouter, defineEventHandler, getHeader, getRouterParam, setResponseStatus } from 'h3'
import { blogs } from '../content'
import type { MockCmsState } from '../state'
import { count } from '../state'

/** microCMS: a GET-only key; a write with it is answered as microCMS does, with 400 (not 403). */
export function microcmsRouter(state: MockCmsState, key: () => string) {
  const router = createRouter()
  router.use('/api/v1/:endpoint', defineEventHandler((event) => {
    count(state, 'microcms.content')
    if (getHeader(event, 'x-microcms-api-key') !== key()) {
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
    return { contents: blogs, totalCount: blogs.length, offset: 0, limit: 10 }
  }))
  return router
}
