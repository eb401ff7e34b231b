import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { $fetch as fetchJson, fetch as fetchPage, setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runtimeEnvName } from '../../src/config/env-names'
import { draftArticle, draftBlog, draftNews } from '../mock-cms/content'
import { listenMockCms } from '../mock-cms/listen'
import { mockTokens as keys } from '../mock-cms/tokens'
import { strapiArticles, strapiTokens } from '../mock-cms/vendors/strapi'
import { startBuiltServer } from '../utils/built-server'
import { chromiumLaunch } from '../utils/chromium'
import { fixtureDir } from '../utils/fixtures'
import { stopProcess } from '../utils/processes'

// test/fixtures/preview: Storyblok, Contentful and Directus direct, microCMS and Kuroco through the
// proxy, each with preview. The build knows no address, key, preview token or secret.
const cms = await listenMockCms()
const apis = {
  stories: { scope: 'public', path: '/storyblok/v2/cdn', token: keys.storyblokPublic, preview: keys.storyblokPreview },
  entries: { scope: 'public', path: '/contentful/cdn/spaces/demo/environments/master', token: keys.contentful, preview: keys.contentfulPreview },
  articles: { scope: 'public', path: '/directus', token: keys.directus, preview: keys.directusPreview },
  blogs: { scope: 'private', path: '/microcms/api/v1', token: keys.microcms, preview: keys.microcmsPreview },
  news: { scope: 'private', path: '/kuroco/rcms-api/1', token: keys.kuroco, preview: keys.kurocoPreview },
} as const
type ApiName = keyof typeof apis
const secrets = Object.fromEntries(Object.keys(apis).map(name => [name, `preview-secret-${name}-${randomBytes(8).toString('hex')}`])) as Record<ApiName, string>
const env: Record<string, string> = { NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url') }
for (const [name, api] of Object.entries(apis)) {
  env[runtimeEnvName(api.scope, name, 'baseURL')] = cms.url + api.path
  env[runtimeEnvName(api.scope, name, 'token')] = api.token
  env[runtimeEnvName('private', name, 'preview_token')] = api.preview
  env[runtimeEnvName('private', name, 'preview_secret')] = secrets[name as ApiName]
}
env[runtimeEnvName('private', 'entries', 'preview_baseURL')] = `${cms.url}/contentful/preview/spaces/demo/environments/master`
// Strapi (`posts`, its own describe block below): a read-only API token for visitors, another for previews.
const strapiSecret = `preview-secret-posts-${randomBytes(8).toString('hex')}`
Object.assign(env, {
  [runtimeEnvName('private', 'posts', 'baseURL')]: `${cms.url}/strapi`,
  [runtimeEnvName('private', 'posts', 'token')]: strapiTokens.readOnly,
  [runtimeEnvName('private', 'archive', 'baseURL')]: `${cms.url}/strapi`,
  [runtimeEnvName('private', 'archive', 'token')]: strapiTokens.readOnly,
  [runtimeEnvName('private', 'posts', 'preview_token')]: strapiTokens.preview,
  [runtimeEnvName('private', 'posts', 'preview_secret')]: strapiSecret,
})

await setup({ rootDir: fixtureDir('preview'), server: true, browser: false, env })

const published = ['Published story', 'Contentful entry from the delivery API', 'Directus static token sent as a Bearer token', 'microCMS API key sent as X-MICROCMS-API-KEY', 'Kuroco static token reached the CMS']
const drafts: Record<ApiName, string> = {
  stories: 'Draft story',
  entries: 'Contentful draft entry from the preview API',
  articles: draftArticle.title,
  blogs: draftBlog.title,
  news: draftNews.subject,
}
/** What must never reach a visitor's browser, nor an editor's. */
const hidden = [...Object.values(apis).flatMap(api => [api.preview]), keys.microcms, keys.kuroco, ...Object.values(secrets), draftBlog.draftKey, env.NUXT_CMS_AUTH_SESSION_PASSWORD!]

/** Enters preview of `name` with a link (`query`): the answer and the cookie it set, if any. */
async function enter(name: string, query: Record<string, string>) {
  const response = await fetchPage(`/api/_cms/_preview/${name}?${new URLSearchParams(query)}`, { redirect: 'manual' })
  const setCookie = response.headers.getSetCookie().find(cookie => cookie.startsWith('cms-auth-preview='))
  return { response, setCookie, cookie: setCookie?.split(';')[0] }
}
const signedLink = (name: string, query: Record<string, string> = {}) => fetchJson<{ link: string }>('/api/preview-link', { query: { api: name, ...query } }).then(answer => answer.link)
async function enterWithLink(link: string, cookie = '') {
  const response = await fetchPage(link, { redirect: 'manual', headers: cookie ? { cookie } : {} })
  return response.headers.getSetCookie().find(value => value.startsWith('cms-auth-preview='))?.split(';')[0]
}
async function page(path: string, cookie?: string) {
  const response = await fetchPage(path, { headers: cookie ? { cookie } : {} })
  return { response, html: await response.text() }
}
async function enterAll(): Promise<string> {
  let cookie = ''
  for (const name of Object.keys(apis))
    cookie = (await enterWithLink(await signedLink(name, name === 'blogs' ? { draftKey: draftBlog.draftKey } : {}), cookie))!
  return cookie
}

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunch)
})
afterAll(async () => {
  await browser?.close()
  await cms.close()
})
beforeEach(() => cms.reset())

describe('a visitor', () => {
  it('sees published content only, and nothing of the preview in the page or its payload', async () => {
    const { response, html } = await page('/')
    for (const text of published)
      expect(html).toContain(text)
    for (const text of [...Object.values(drafts), ...hidden])
      expect(html).not.toContain(text)
    expect(html).toContain('published / nuxt preview mode off')
    expect(response.headers.get('cache-control') ?? '').not.toContain('no-store')
    expect(response.headers.getSetCookie()).toEqual([])
    // Direct APIs are still called directly, with their public keys.
    expect(cms.state.requests.find(request => request.path.startsWith('/storyblok/'))!.path).toContain(`token=${keys.storyblokPublic}`)
  })

  it('cannot use a direct API\'s preview route, and gets published content from a proxy API\'s route', async () => {
    for (const path of ['/api/_cms/stories/stories', '/api/_cms/entries/entries', '/api/_cms/articles/items/articles']) {
      const response = await fetchPage(path)
      expect(response.status, path).toBe(403)
      expect(await response.json()).toMatchObject({ message: expect.stringContaining('previews only') })
    }
    expect(cms.state.requests).toEqual([])
    const news = await fetchPage('/api/_cms/news/content/news')
    expect(await news.text()).not.toContain(draftNews.subject)
    expect(news.headers.get('cache-control') ?? '').not.toContain('private')
  })

  it('finds no preview token, secret or draftKey in any client file of the build', async () => {
    const publicDir = join(useTestContext().nuxt!.options.nitro.output!.dir!, 'public')
    const files = (await readdir(publicDir, { recursive: true, withFileTypes: true })).filter(file => file.isFile())
    expect(files.some(file => file.name.endsWith('.js'))).toBe(true)
    for (const file of files) {
      const text = await readFile(join(file.parentPath, file.name), 'utf8')
      for (const secret of hidden)
        expect(text, file.name).not.toContain(secret)
    }
  })
})

describe('entering preview', () => {
  it('with the CMS preview secret: a sealed, httpOnly, SameSite=Lax cookie, and a redirect to the page', async () => {
    const { response, setCookie, cookie } = await enter('stories', { secret: secrets.stories, to: '/other?x=1' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/other?x=1')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(setCookie).toMatch(/; HttpOnly/i)
    expect(setCookie).toMatch(/; SameSite=Lax/i)
    expect(setCookie).toMatch(/; Max-Age=3600/i)
    expect(setCookie).toMatch(/; Path=\//i)
    expect(cookie).not.toContain(secrets.stories)
    const { response: rendered, html } = await page('/', cookie)
    expect(html).toContain(drafts.stories)
    expect(html).toContain('in preview / nuxt preview mode on')
    // Only the API entered: the others stay published.
    for (const name of ['entries', 'articles', 'blogs', 'news'] as const)
      expect(html).not.toContain(drafts[name])
    expect(rendered.headers.get('cache-control')).toBe('private, no-store')
    for (const secret of hidden)
      expect(html).not.toContain(secret)
    expect(cms.state.requests.find(request => request.path.startsWith('/storyblok/'))!.path).toMatch(/version=draft&token=demoStoryblokPreviewTokentt$/)
  })

  it('with signed links for every API: drafts of all five CMSs, with their preview credentials', async () => {
    const cookie = await enterAll()
    const { html } = await page('/', cookie)
    for (const draft of Object.values(drafts))
      expect(html).toContain(draft)
    for (const secret of hidden)
      expect(html).not.toContain(secret)
    const sent = (prefix: string) => cms.state.requests.find(request => request.path.startsWith(prefix))!
    expect(sent('/contentful/preview/').headers.authorization).toBe(`Bearer ${keys.contentfulPreview}`)
    expect(sent('/directus/').headers.authorization).toBe(`Bearer ${keys.directusPreview}`)
    expect(sent('/microcms/').headers['x-microcms-api-key']).toBe(keys.microcmsPreview)
    expect(sent('/microcms/').path).toContain(`draftKey=${draftBlog.draftKey}`)
    expect(sent('/kuroco/').headers['x-rcms-api-access-token']).toBe(keys.kurocoPreview)
    expect(cms.state.requests.some(request => request.path.startsWith('/contentful/cdn/'))).toBe(false)
  })

  it('answers preview requests through the proxy with Cache-Control: private, no-store', async () => {
    const cookie = await enterAll()
    for (const [path, draft] of [['/api/_cms/news/content/news', drafts.news], ['/api/_cms/stories/stories', drafts.stories], ['/api/_cms/blogs/blogs', drafts.blogs]] as const) {
      const response = await fetchPage(path, { headers: { cookie } })
      expect(response.headers.get('cache-control'), path).toBe('private, no-store')
      expect(await response.text()).toContain(draft)
    }
  })

  it.each([
    ['a wrong secret', () => ({ secret: 'guess', to: '/' }), 403, 'secret is wrong'],
    ['no secret and no signature', () => ({ to: '/' }), 403, 'needs a signature'],
    ['an open redirect', () => ({ secret: secrets.stories, to: '//evil.example/' }), 400, 'path of this site'],
    ['an absolute redirect', () => ({ secret: secrets.stories, to: 'https://evil.example/' }), 400, 'path of this site'],
    ['a backslash redirect', () => ({ secret: secrets.stories, to: '/\\evil.example' }), 400, 'path of this site'],
    ['another API\'s secret', () => ({ secret: secrets.news, to: '/' }), 403, 'secret is wrong'],
  ])('refuses %s, setting nothing', async (_label, query, status, message) => {
    const { response, setCookie } = await enter('stories', query())
    expect(response.status).toBe(status)
    expect(await response.json()).toMatchObject({ statusCode: status, message: expect.stringContaining(message) })
    expect(setCookie).toBeUndefined()
  })

  it('refuses forged, altered, expired and other-API signed links, setting nothing', async () => {
    const link = new URL(await signedLink('stories', { to: '/other' }), 'http://x')
    const variants: Array<[string, (query: URLSearchParams) => void, string]> = [
      ['forged', query => query.set('sig', 'A'.repeat(43)), 'does not match'],
      ['altered path', query => query.set('to', '/'), 'does not match'],
      ['extended expiry', query => query.set('expires', String(Number(query.get('expires')) + 3600)), 'does not match'],
    ]
    for (const [label, alter, message] of variants) {
      const query = new URLSearchParams(link.search)
      alter(query)
      const { response, setCookie } = await enter('stories', Object.fromEntries(query))
      expect(response.status, label).toBe(403)
      expect((await response.json()).message, label).toContain(message)
      expect(setCookie, label).toBeUndefined()
    }
    // A link for stories used on news.
    const { response: other, setCookie } = await enter('news', Object.fromEntries(link.searchParams))
    expect(other.status).toBe(403)
    expect(setCookie).toBeUndefined()
    // Expired: a link of one second, replayed after it.
    const short = new URL(await signedLink('stories', { ttl: '1' }), 'http://x')
    await new Promise(resolve => setTimeout(resolve, 2100))
    const expired = await enter('stories', Object.fromEntries(short.searchParams))
    expect(expired.response.status).toBe(403)
    expect((await expired.response.json()).message).toContain('expired')
    expect(expired.setCookie).toBeUndefined()
  })

  it('does not take a cookie sealed with another password or tampered with', async () => {
    const { cookie } = await enter('stories', { secret: secrets.stories })
    const tampered = `${cookie!.slice(0, -4)}AAAA`
    const { html } = await page('/', tampered)
    expect(html).not.toContain(drafts.stories)
    expect((await fetchPage('/api/_cms/stories/stories', { headers: { cookie: tampered } })).status).toBe(403)
  })
})

describe('a malformed preview route', () => {
  it('answers 404 for a name that is no API (malformed or decoded twice), and sets nothing', async () => {
    for (const name of ['%E0%A4%A', '%2573tories', 'nope']) {
      const { response, setCookie } = await enter(name, { secret: secrets.stories })
      expect(response.status, name).toBe(404)
      expect(setCookie).toBeUndefined()
    }
  })
})

describe('the app\'s own server routes', () => {
  it('get drafts through useCmsServerApi for an editor in preview, published stories for everyone else', async () => {
    const visitor = await fetchPage('/api/server-stories')
    const published = await visitor.text()
    expect(published).toContain('Published story')
    expect(published).not.toContain('Draft story')
    expect(cms.state.requests.at(-1)!.path).toBe(`/storyblok/v2/cdn/stories?token=${keys.storyblokPublic}`)

    const { cookie } = await enter('stories', { secret: secrets.stories, to: '/' })
    const editor = await fetchPage('/api/server-stories', { headers: { cookie: cookie! } })
    const body = await editor.text()
    expect(body).toContain('Draft story')
    expect(editor.headers.get('cache-control')).toBe('private, no-store')
    const sent = new URL(cms.state.requests.at(-1)!.path, cms.url).searchParams
    expect([sent.get('token'), sent.get('version')]).toEqual([keys.storyblokPreview, 'draft'])
    for (const value of hidden)
      expect(body).not.toContain(value)
  })
})

describe('leaving preview', () => {
  it('clears the cookie: the next page is published again', async () => {
    const cookie = await enterAll()
    const left = await fetchPage('/api/_cms/_preview', { method: 'DELETE', headers: { cookie } })
    expect(left.status).toBe(200)
    const cleared = left.headers.getSetCookie().find(value => value.startsWith('cms-auth-preview='))!
    expect(cleared).toMatch(/^cms-auth-preview=;.*Max-Age=0/i)
    const { html } = await page('/')
    for (const draft of Object.values(drafts))
      expect(html).not.toContain(draft)
  })
})

describe('two concurrent renders, one in preview', () => {
  it('never mix: each gets its own content, many times over', async () => {
    const cookie = await enterAll()
    const rounds = await Promise.all(Array.from({ length: 24 }, async (_, index) => {
      const editor = index % 2 === 0
      const { response, html } = await page(index % 4 < 2 ? '/' : '/other', editor ? cookie : undefined)
      return { editor, html, cacheControl: response.headers.get('cache-control') ?? '' }
    }))
    for (const { editor, html, cacheControl } of rounds) {
      for (const draft of Object.values(drafts))
        expect(html.includes(draft), `${editor ? 'editor' : 'visitor'} and ${draft}`).toBe(editor)
      expect(cacheControl.includes('no-store')).toBe(editor)
      expect(html).toContain(editor ? 'in preview' : 'published / nuxt preview mode off')
    }
  })
})

describe('in Chromium', () => {
  it('an editor\'s link shows drafts during SSR and after client navigation; the banner leaves preview', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const link = await signedLink('news')
      await page.goto(url(link))
      await page.waitForSelector('#home[data-hydrated=true]')
      expect(new URL(page.url()).pathname).toBe('/')
      expect(await page.textContent('#titles')).toContain(drafts.news)
      expect(await page.textContent('#titles')).not.toContain(drafts.stories)
      const cookies = await context.cookies()
      expect(cookies.find(cookie => cookie.name === 'cms-auth-preview')).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
      expect(await page.evaluate(() => document.cookie)).not.toContain('cms-auth-preview')

      // Client navigation: the browser fetches, through the proxy, with its cookie.
      cms.reset()
      const proxied = page.waitForResponse(response => response.url().includes('/api/_cms/news/'))
      await page.click('#to-other')
      await page.waitForSelector('#other')
      expect((await proxied).headers()['cache-control']).toBe('private, no-store')
      expect(await page.textContent('#other #titles')).toContain(drafts.news)
      expect(cms.state.requests.find(request => request.path.startsWith('/kuroco/'))!.headers['x-rcms-api-access-token']).toBe(keys.kurocoPreview)
      // Published APIs are still called by the browser directly.
      expect(cms.state.requests.find(request => request.path.startsWith('/storyblok/'))!.path).toContain(`token=${keys.storyblokPublic}`)

      await page.click('.cms-preview-banner__leave')
      await page.waitForFunction(() => document.querySelector('#preview')?.textContent?.includes('published'))
      expect(await page.textContent('#titles')).not.toContain(drafts.news)
      expect(await page.$('.cms-preview-banner')).toBeNull()
      expect((await context.cookies()).find(cookie => cookie.name === 'cms-auth-preview')).toBeUndefined()
    }
    finally {
      await context.close()
    }
  })
})

// Strapi 5.54 (tried live): any reader, the Public role with `find` or any API token, gets drafts for
// every `status` but exactly `published`. Through the proxy, only a preview may ask for them.
describe('Strapi through the proxy', () => {
  const sent = () => cms.state.requests.filter(request => request.path.startsWith('/strapi/api/articles'))

  it('answers a visitor published articles whatever status it asks for', async () => {
    for (const search of ['', '?status=draft', '?status%5B%5D=draft', '?status=published&status=draft']) {
      const response = await fetchPage(`/api/_cms/posts/api/articles${search}`)
      const body = await response.text()
      expect(response.status, search).toBe(200)
      expect(body, search).toContain(strapiArticles.published.title)
      expect(body, search).not.toContain(strapiArticles.draft.title)
      const upstream = new URL(sent().at(-1)!.path, cms.url)
      expect([...upstream.searchParams.entries()].filter(([name]) => name.startsWith('status')), search).toEqual([['status', 'published']])
      expect(sent().at(-1)!.headers.authorization).toBe(`Bearer ${strapiTokens.readOnly}`)
    }
  })

  it('pins a Strapi API without preview the same way: no status a visitor sends reaches Strapi', async () => {
    for (const search of ['?status=draft', '?status%5B0%5D=draft']) {
      const body = await (await fetchPage(`/api/_cms/archive/api/articles${search}`)).text()
      expect(body, search).toContain(strapiArticles.published.title)
      expect(body, search).not.toContain(strapiArticles.draft.title)
      expect(new URL(sent().at(-1)!.path, cms.url).searchParams.getAll('status'), search).toEqual(['published'])
    }
  })

  it('gives an editor in preview the drafts, with the preview token and status=draft, private', async () => {
    const { cookie } = await enter('posts', { secret: strapiSecret, to: '/' })
    const response = await fetchPage('/api/_cms/posts/api/articles?status=published', { headers: { cookie: cookie! } })
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(await response.text()).toContain(strapiArticles.draft.title)
    expect(new URL(sent().at(-1)!.path, cms.url).searchParams.getAll('status')).toEqual(['draft'])
    expect(sent().at(-1)!.headers.authorization).toBe(`Bearer ${strapiTokens.preview}`)
    const one = await fetchPage(`/api/_cms/posts/api/articles/${strapiArticles.draft.documentId}`, { headers: { cookie: cookie! } })
    expect(one.status).toBe(200)
    expect((await fetchPage(`/api/_cms/posts/api/articles/${strapiArticles.draft.documentId}?status=draft`)).status).toBe(404)
  })

  it('leaves a visitor\'s write alone: a submission with status=draft stays a draft', async () => {
    const response = await fetchPage('/api/_cms/posts/api/articles?status=draft', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { title: 'A reader\'s submission' } }) })
    expect(response.status).toBe(201)
    expect((await response.json()).data).toMatchObject({ title: 'A reader\'s submission', publishedAt: null })
    expect(new URL(sent().at(-1)!.path, cms.url).searchParams.getAll('status')).toEqual(['draft'])
  })
})

// A direct API's preview-only route has the checks of a proxy route; a deployment sets them as it
// would a proxy API's, on the built server. (Another server from the same build, its own environment.)
describe('a direct API\'s preview route, with NUXT_CMS_AUTH_APIS_<NAME>_PROXY_… set on the server', () => {
  it('applies the allow-list from the environment to an editor\'s preview requests', async () => {
    const { base, child } = await startBuiltServer({ ...env, [runtimeEnvName('private', 'stories', 'proxy_allowedIps')]: '192.0.2.1' })
    try {
      const entered = await fetch(`${base}/api/_cms/_preview/stories?secret=${secrets.stories}`, { redirect: 'manual' })
      const cookie = entered.headers.getSetCookie().find(value => value.startsWith('cms-auth-preview='))!.split(';')[0]!
      const refused = await fetch(`${base}/api/_cms/stories/stories`, { headers: { cookie } })
      expect(refused.status).toBe(403)
      expect((await refused.json()).message).toBe('Your address may not use this API.')
      // The editor's entry went through; nothing reached the CMS.
      expect(cms.state.requests).toEqual([])
    }
    finally {
      await stopProcess(child)
    }
  })

  it('refuses to start with a bad value, naming the variable', async () => {
    const variable = runtimeEnvName('private', 'articles', 'proxy_methods')
    const error = await startBuiltServer({ ...env, [variable]: 'FETCH' }).then(({ child }) => stopProcess(child).then(() => undefined), (failure: Error) => failure)
    expect(error?.message).toContain(`cmsAuth.apis.articles.proxy.methods (${variable}) has "FETCH"`)
  })
})

describe('createCmsPreviewLink', () => {
  it('puts into the link only what the preset\'s preview carries, and refuses anything else', async () => {
    const link = new URL(await signedLink('blogs', { draftKey: draftBlog.draftKey }), 'http://x')
    expect([...link.searchParams.keys()].sort()).toEqual(['draftKey', 'expires', 'sig', 'to'])
    // Storyblok's preview carries nothing: the route minting the link fails instead of adding it.
    const refused = await fetchPage(`/api/preview-link?api=stories&draftKey=${draftBlog.draftKey}`)
    expect(refused.status).toBe(500)
    expect(await refused.text()).not.toContain('sig=')
  })
})

describe('a deployment whose preview token the CMS refuses', () => {
  it('tells the editor which variable to set, and shows nothing of the CMS\'s answer or the token', async () => {
    const variable = runtimeEnvName('private', 'blogs', 'preview_token')
    const { base, child } = await startBuiltServer({ ...env, [variable]: 'not-the-preview-key' })
    try {
      const entered = await fetch(`${base}/api/_cms/_preview/blogs?secret=${secrets.blogs}`, { redirect: 'manual' })
      const cookie = entered.headers.getSetCookie().find(value => value.startsWith('cms-auth-preview='))!.split(';')[0]!
      const answer = await fetch(`${base}/api/_cms/blogs/blogs`, { headers: { cookie } })
      expect(answer.status).toBe(502)
      expect(answer.headers.get('cache-control')).toMatch(/no-store/)
      expect(await answer.json()).toEqual({ statusCode: 502, message: `The CMS refused the preview token of cmsAuth.apis.blogs (401): set ${variable} to a token that may read drafts.` })
      // The CMS was asked, with the (wrong) preview token.
      expect(cms.state.requests.at(-1)!.headers['x-microcms-api-key']).toBe('not-the-preview-key')
    }
    finally {
      await stopProcess(child)
    }
  })
})
