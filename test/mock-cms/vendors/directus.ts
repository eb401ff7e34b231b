import { createRouter, defineEventHandler, getHeader, setResponseStatus } from 'h3'
import { articles } from '../content'
import type { MockCmsState } from '../state'
import { count } from '../state'

const directusError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] })

/** Directus: static user token as `Authorization: Bearer`; the public role cannot read articles. */
export function directusRouter(state: MockCmsState, token: () => string) {
  const router = createRouter()
  router.get('/items/articles', defineEventHandler((event) => {
    count(state, 'directus.items')
    const authorization = getHeader(event, 'authorization')
    if (!authorization) {
      setResponseStatus(event, 403)
      return directusError('You don\'t have permission to access collection "articles" or it does not exist.', 'FORBIDDEN')
    }
    if (authorization !== `Bearer ${token()}`) {
      setResponseStatus(event, 401)
      return directusError('Invalid user credentials.', 'INVALID_CREDENTIALS')
    }
    return { data: articles }
  }))
  return router
}
