import { createRouter, defineEventHandler, getHeader, getQuery, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'

// Storyblok documents 401 "No valid API key provided" without a body shape; its APIs answer JSON.
function unauthorized(event: H3Event) {
  setResponseStatus(event, 401)
  return { error: 'Unauthorized' }
}

const stories = [
  { id: 1, name: 'Published story', slug: 'home', published: true },
  { id: 2, name: 'Draft story', slug: 'draft', published: false },
]

/**
 * Storyblok: the Content Delivery API (`/v2/cdn`, `?token=`; a public token may only read
 * `version=published`, a preview token also `draft`) and the Management API (`/v1`, a personal
 * access token in `Authorization` without a scheme, OAuth tokens with `Bearer`). List answers
 * carry `total` and `per-page` headers.
 */
export function storyblokRouter(state: MockCmsState, keys: () => MockTokens) {
  const router = createRouter()
  const paged = (event: H3Event, list: unknown[]) => {
    setResponseHeader(event, 'total', list.length)
    setResponseHeader(event, 'per-page', 25)
  }
  router.get('/v2/cdn/stories', defineEventHandler((event) => {
    count(state, 'storyblok.cdn')
    const { token, version = 'published' } = getQuery(event)
    const preview = token === keys().storyblokPreview
    if (!preview && token !== keys().storyblokPublic)
      return unauthorized(event)
    // A public token asking for drafts: Storyblok answers 401, not the published version.
    if (version === 'draft' && !preview)
      return unauthorized(event)
    const list = stories.filter(story => version === 'draft' || story.published)
    paged(event, list)
    return { stories: list, cv: 1700000000, rels: [], links: [] }
  }))
  router.get('/v1/spaces/:space/stories', defineEventHandler((event) => {
    count(state, 'storyblok.management')
    const authorization = getHeader(event, 'authorization')
    if (authorization !== keys().storyblokManagement && authorization !== `Bearer ${keys().storyblokManagement}`)
      return unauthorized(event)
    paged(event, stories)
    return { stories }
  }))
  return router
}
