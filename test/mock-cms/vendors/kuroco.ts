import { createRouter, defineEventHandler, getHeader, setResponseStatus } from 'h3'
import { draftNews, news, openNews } from '../content'
import { mockTokens } from '../tokens'
import type { MockCmsState } from '../state'
import { count } from '../state'

/**
 * Kuroco: api_id 1 is "static access token" security, api_id 2 is "none".
 * Error bodies are Kuroco's gateway errors (protocols.md); the invalid-token body is not
 * documented, so it reuses the gateway's shape. A privileged token (preview) also reads unpublished topics.
 */
export function kurocoRouter(state: MockCmsState, token: () => string, previewToken: () => string = () => mockTokens.kurocoPreview) {
  const router = createRouter()
  router.get('/rcms-api/1/content/news', defineEventHandler((event) => {
    count(state, 'kuroco.static.content')
    const sent = getHeader(event, 'x-rcms-api-access-token')
    if (!sent) {
      setResponseStatus(event, 401)
      return { errors: ['[GW] Access Token is required'] }
    }
    if (sent !== token() && sent !== previewToken()) {
      setResponseStatus(event, 401)
      return { errors: ['[GW] Access Token is invalid'] }
    }
    const list = sent === previewToken() ? [...news, draftNews] : news
    return { list, pageInfo: { totalCnt: list.length }, errors: [], messages: [] }
  }))
  router.get('/rcms-api/2/content/news', defineEventHandler(() => {
    count(state, 'kuroco.open.content')
    return { list: openNews, pageInfo: { totalCnt: openNews.length }, errors: [], messages: [] }
  }))
  router.use('/**', defineEventHandler((event) => {
    setResponseStatus(event, 404)
    return { errors: ['[GW] API using this method and path does not exist'] }
  }))
  return router
}
