import { describe, expect, it } from 'vitest'
import { pageCacheWarnings } from '../../../src/config/page-cache-guard'
import { resolveApis } from '../../../src/config/resolve-apis'

const context = { production: false, warn: () => {} }
const content = { preset: 'microcms', auth: 'static', baseURL: 'https://svc.microcms.io/api/v1', token: 'k', proxy: { cache: true } }
const members = { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://x.g.kuroco.app', proxy: true }
const withMembers = resolveApis({ content, members }, context)
const contentOnly = resolveApis({ content }, context)

describe('the page-cache guard', () => {
  it.each([
    [{ '/**': { swr: 60 } }, 'swr'],
    [{ '/blog/**': { isr: true } }, 'isr'],
    [{ '/': { cache: { maxAge: 60 } } }, 'cache'],
    [{ '/news/**': { swr: true, cache: { maxAge: 10 } } }, 'swr, cache'],
  ])('warns when %j caches pages while a login API exists', (rules, options) => {
    const [pattern] = Object.keys(rules)
    const warnings = pageCacheWarnings(rules, withMembers, '/api/_cms')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`routeRules['${pattern}'] caches pages (${options}) while cmsAuth.apis.members (auth 'dynamic') renders one visitor's data`)
  })

  it.each([
    ['no API renders a member\'s data', { '/**': { swr: 60 } }, contentOnly],
    ['the rule turns caching off', { '/members/**': { swr: false, isr: false, cache: false } }, withMembers],
    ['the rule covers API routes only', { '/api/**': { cache: { maxAge: 60 } }, '/api/_cms/**': { swr: 1 } }, withMembers],
    ['the rule covers Nuxt\'s assets only', { '/_nuxt/**': { cache: { maxAge: 60 } } }, withMembers],
    ['the rule does not cache', { '/**': { headers: { 'x-a': '1' } } }, withMembers],
  ])('is silent when %s', (_, rules, apis) => {
    expect(pageCacheWarnings(rules, apis, '/api/_cms')).toEqual([])
  })

  it('counts an API with preview mode: an editor\'s drafts would be served to visitors', () => {
    const apis = resolveApis({ content: { ...content, proxy: true, preview: true } }, context)
    expect(pageCacheWarnings({ '/**': { isr: 60 } }, apis, '/api/_cms')[0]).toContain('cmsAuth.apis.content (preview mode) renders one visitor\'s data')
  })

  it('names every such API, cookie mode too', () => {
    const apis = resolveApis({ members, shop: { preset: 'kuroco', auth: 'cookie', baseURL: 'https://x.g.kuroco.app', proxy: true } }, context)
    expect(pageCacheWarnings({ '/**': { swr: 1 } }, apis, '/api/_cms')[0]).toContain('cmsAuth.apis.members (auth \'dynamic\'), cmsAuth.apis.shop (auth \'cookie\') render')
  })
})
