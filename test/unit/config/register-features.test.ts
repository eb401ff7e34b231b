import { describe, expect, it } from 'vitest'
import { browserFeatures } from '../../../src/config/register-features'
import { resolveApis } from '../../../src/config/resolve-apis'
import type { ModuleOptions } from '../../../src/runtime/types'
import * as features from '../../../src/runtime/core/features'

const featuresOf = (apis: ModuleOptions['apis'], dev = false) => browserFeatures(resolveApis(apis, { production: false, warn: () => {} }), dev)
const none = { staticTokens: false, queryCredentials: false, cookieCredentials: false, sessionRoutes: false, previewRoutes: false, renewedTokens: false, selfRenewal: false, refreshHandoff: false, loginKeys: false, configHints: false }

describe('the browser build\'s features (core/features.ts)', () => {
  it('are all on as the file is written: the server and the unit tests run every part', () => {
    expect(Object.values(features).every(on => on === true)).toBe(true)
    expect(Object.keys(none).sort()).toEqual(Object.keys(features).sort())
  })

  it('leaves out, for a Kuroco login alone, every part no API of the app uses', () => {
    expect(featuresOf({ member: { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://a.example' } })).toEqual(none)
  })

  it('keeps the hints of error messages in a development build only', () => {
    const member = { member: { preset: 'kuroco' as const, auth: 'dynamic' as const, baseURL: 'https://a.example' } }
    expect(featuresOf(member, true)).toEqual({ ...none, configHints: true })
    expect(featuresOf(member, false).configHints).toBe(false)
  })

  it('keeps the part each CMS or mode needs', () => {
    expect(featuresOf({ news: { preset: 'microcms', auth: 'static', baseURL: 'https://a.example', token: 't' } })).toEqual({ ...none, staticTokens: true })
    expect(featuresOf({ cdn: { preset: 'storyblok', auth: 'static', baseURL: 'https://a.example', token: 't' } })).toEqual({ ...none, staticTokens: true, queryCredentials: true })
    expect(featuresOf({ member: { preset: 'nocobase', auth: 'dynamic', baseURL: 'https://a.example' } })).toEqual({ ...none, renewedTokens: true })
    expect(featuresOf({ member: { preset: 'payload', auth: 'dynamic', baseURL: 'https://a.example' } })).toEqual({ ...none, selfRenewal: true })
    expect(featuresOf({ member: { preset: 'pocketbase', auth: 'dynamic', baseURL: 'https://a.example' } })).toEqual({ ...none, selfRenewal: true })
    expect(featuresOf({ member: { preset: 'supabase', auth: 'dynamic', baseURL: 'https://a.example', token: 'anon' } })).toEqual({ ...none, loginKeys: true })
    expect(featuresOf({ member: { preset: 'kuroco', auth: 'cookie', baseURL: 'https://a.example' } })).toEqual({ ...none, cookieCredentials: true })
    expect(featuresOf({ news: { preset: 'storyblok', baseURL: 'https://a.example', preview: {} } })).toEqual({ ...none, previewRoutes: true })
  })

  it('ignores how APIs behind the proxy log in and attach credentials: the server does; the page only learns their session route', () => {
    expect(featuresOf({ news: { preset: 'storyblok', auth: 'static', baseURL: 'https://a.example', token: 't', proxy: true } })).toEqual(none)
    expect(featuresOf({ member: { preset: 'nocobase', auth: 'dynamic', baseURL: 'https://b.example', proxy: true } })).toEqual({ ...none, sessionRoutes: true })
    expect(featuresOf({ member: { preset: 'kuroco', auth: 'cookie', baseURL: 'https://b.example', proxy: true } })).toEqual({ ...none, sessionRoutes: true })
  })
})
