import { createFetch } from 'ofetch'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCmsClient } from '../../../../src/runtime/core/client/cms-client'
import type { PublicApiConfig } from '../../../../src/runtime/types'

const seen: { url: string, headers: Headers }[] = []

beforeEach(() => {
  seen.length = 0
  // The client uses Nuxt's global $fetch; here it is ofetch over a fetch that records and answers {}.
  ;(globalThis as any).$fetch = createFetch({
    fetch: async (input, init) => {
      seen.push({ url: String(input), headers: new Headers(init?.headers) })
      return new Response('{}', { headers: { 'content-type': 'application/json' } })
    },
  })
})
afterEach(() => {
  delete (globalThis as any).$fetch
})

const kuroco: PublicApiConfig = {
  mode: 'direct',
  baseURL: 'https://site.g.kuroco.app/rcms-api/1',
  auth: 'static',
  credential: { header: 'X-RCMS-API-ACCESS-TOKEN' },
  headers: { 'X-Extra': 'yes' },
  token: 'tok',
}

describe('createCmsClient', () => {
  it('sends the credential and extra headers under the API base URL', async () => {
    await createCmsClient('news', kuroco)('/content/news', { query: { cnt: 2 } })
    expect(seen[0]!.url).toBe('https://site.g.kuroco.app/rcms-api/1/content/news?cnt=2')
    expect(seen[0]!.headers.get('x-rcms-api-access-token')).toBe('tok')
    expect(seen[0]!.headers.get('x-extra')).toBe('yes')
  })

  it('keeps the credential when the caller passes its own onRequest hook', async () => {
    const calls: string[] = []
    await createCmsClient('news', kuroco)('/content/news', { onRequest: () => void calls.push('caller') })
    await createCmsClient('news', kuroco).raw('/content/news', { onRequest: [() => void calls.push('caller')] })
    expect(calls).toEqual(['caller', 'caller'])
    expect(seen.map(r => r.headers.get('x-rcms-api-access-token'))).toEqual(['tok', 'tok'])
  })

  it('judges the URL a caller\'s hook rewrote, not the one it was given', async () => {
    await createCmsClient('news', kuroco)('/content/news', {
      onRequest: (context) => {
        context.request = 'https://evil.example/steal'
      },
    })
    expect(seen[0]!.url).toBe('https://evil.example/steal')
    expect(seen[0]!.headers.has('x-rcms-api-access-token')).toBe(false)
    expect(seen[0]!.headers.has('x-extra')).toBe(false)
  })

  it('sends nothing to another host', async () => {
    await createCmsClient('news', kuroco)('https://other.example/x')
    expect(seen[0]!.headers.has('x-rcms-api-access-token')).toBe(false)
    expect(seen[0]!.headers.has('x-extra')).toBe(false)
  })

  it('puts the credential in the query when the placement says so', async () => {
    await createCmsClient('cockpit', { ...kuroco, credential: { query: 'api_key' }, headers: undefined })('/content/items/posts')
    expect(seen[0]!.url).toBe('https://site.g.kuroco.app/rcms-api/1/content/items/posts?api_key=tok')
  })

  it('refuses to send a bare request when the deployment has no token, naming the variable to set', async () => {
    await expect(createCmsClient('news', { ...kuroco, token: '' })('/content/news')).rejects.toThrow('cmsAuth.apis.news.token is empty on this deployment (set NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN)')
    await expect(createCmsClient('openNews', { ...kuroco, token: '' })('/content/news')).rejects.toThrow('(set NUXT_PUBLIC_CMS_AUTH_APIS_OPEN_NEWS_TOKEN)')
    expect(seen).toEqual([])
  })
})
