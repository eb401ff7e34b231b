import { createRouter, defineEventHandler, getHeader, setResponseStatus } from 'h3'
import { articles, draftArticle } from '../content'
import { mockTokens } from '../tokens'
import type { MockCmsState } from '../state'
import { count } from '../state'

const directusError = (message: string, code: string, reason?: string) => ({ errors: [{ message, extensions: { ...(reason ? { reason } : {}), code } }] })
// Directus 12.4's answer to a policy without read on the collection (seen live).
const forbidden = 'You don\'t have permission to access collection "articles" or it does not exist. Queried in root.'

/**
 * Directus: static user token as `Authorization: Bearer`; the public role cannot read articles. An
 * editor's token (preview) also reads drafts (`status: 'draft'`).
 */
export function directusRouter(state: MockCmsState, token: () => string, previewToken: () => string = () => mockTokens.directusPreview) {
  const router = createRouter()
  router.get('/items/articles', defineEventHandler((event) => {
    count(state, 'directus.items')
    const authorization = getHeader(event, 'authorization')
    if (!authorization) {
      setResponseStatus(event, 403)
      return directusError(forbidden, 'FORBIDDEN', forbidden)
    }
    const editor = authorization === `Bearer ${previewToken()}`
    if (authorization !== `Bearer ${token()}` && !editor) {
      setResponseStatus(event, 401)
      return directusError('Invalid user credentials.', 'INVALID_CREDENTIALS')
    }
    return { data: editor ? [...articles, draftArticle] : articles }
  }))
  return router
}
