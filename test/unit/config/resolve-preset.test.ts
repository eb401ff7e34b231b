import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../../src/config/resolve-apis'
import { splitRuntimeConfig } from '../../../src/config/runtime-config'
import { mockTokens } from '../../mock-cms/tokens'

const context = { production: false, warn: () => {} }
const resolve = (apis: Record<string, object>) => resolveApis(apis, context)
const one = (api: object) => resolve({ api })[0]!

describe('preset options (cmsAuth.apis.<name>.<preset>)', () => {
  it('Payload: the collection is in every endpoint and names the API key', () => {
    const admins = one({ preset: 'payload', auth: 'dynamic', baseURL: 'https://payload.example', payload: { collection: 'admins' } })
    expect(admins.dynamic!.endpoints).toEqual({ login: '/api/admins/login', refresh: '/api/admins/refresh-token', logout: '/api/admins/logout', user: '/api/admins/me' })
    // A login's token is `JWT <token>` whatever the collection.
    expect(admins.credential).toEqual({ header: 'Authorization', prefix: 'JWT ' })
    const key = one({ preset: 'payload', auth: 'static', baseURL: 'https://payload.example', token: 'k', payload: { collection: 'admins' } })
    expect(key.credential).toEqual({ header: 'Authorization', prefix: 'admins API-Key ' })
    expect(one({ preset: 'payload', auth: 'static', baseURL: 'https://payload.example', token: 'k' }).credential).toEqual({ header: 'Authorization', prefix: 'users API-Key ' })
    // `endpoints` still win over the collection's.
    const custom = one({ preset: 'payload', auth: 'dynamic', baseURL: 'https://payload.example', payload: { collection: 'admins' }, endpoints: { user: '/api/whoami' } })
    expect(custom.dynamic!.endpoints.user).toBe('/api/whoami')
  })

  it('Payload: cookie mode logs in, out and asks who at the collection\'s paths', () => {
    const cookie = one({ preset: 'payload', auth: 'cookie', baseURL: 'https://payload.example', payload: { collection: 'members' }, cookie: { names: ['payload-token'] } })
    expect(cookie.cookieEndpoints).toEqual({ login: '/api/members/login', logout: '/api/members/logout', user: '/api/members/me' })
  })

  it('PocketBase: the collection is in the auth paths', () => {
    const users = one({ preset: 'pocketbase', auth: 'dynamic', baseURL: 'https://pb.example' })
    expect(users.dynamic!.endpoints).toEqual({ login: '/api/collections/users/auth-with-password', refresh: '/api/collections/users/auth-refresh' })
    expect(users.credential).toEqual({ header: 'Authorization' })
  })

  it.each([
    [{ preset: 'payload', baseURL: '/cms', payload: { collection: 'a/b' } }, /cmsAuth\.apis\.api\.payload\.collection must be a collection name/],
    [{ preset: 'payload', baseURL: '/cms', payload: { colection: 'x' } }, /cmsAuth\.apis\.api\.payload\.colection is not an option \(options: collection\)/],
    [{ preset: 'storyblok', baseURL: '/cms', storyblok: { api: 'mapi' } }, /cmsAuth\.apis\.api\.storyblok\.api "mapi" is unknown; use one of delivery, management/],
    [{ preset: 'kuroco', baseURL: '/cms', payload: { collection: 'x' } }, /cmsAuth\.apis\.api\.payload only applies to preset 'payload'; this API's preset is 'kuroco'/],
    [{ preset: 'ghost', auth: 'static', baseURL: '/cms', token: 't', ghost: 'admin' }, /cmsAuth\.apis\.api\.ghost must be an object/],
  ])('refuses %o', (api, message) => {
    expect(() => one(api)).toThrow(message)
  })
})

describe('secrets the preset keeps on the server (a build error without proxy)', () => {
  it.each([
    ['a Storyblok Management API token', { preset: 'storyblok', auth: 'static', token: 't', storyblok: { api: 'management' } }, /a Management API token acts for its whole account/],
    ['a Contentful management token', { preset: 'contentful', auth: 'static', token: 't', contentful: { api: 'management' } }, /a Content Management API token can change and delete/],
    ['a Ghost Admin API key', { preset: 'ghost', auth: 'static', token: mockTokens.ghostAdmin, ghost: { api: 'admin' } }, /an Admin API key can change the whole site/],
    ['a WordPress Application Password', { preset: 'wordpress', auth: 'static', token: mockTokens.wordpress }, /an Application Password is its user's password/],
    ['a Supabase secret key', { preset: 'supabase', auth: 'static', token: mockTokens.supabaseSecret }, /a secret key \(sb_secret_…, or the legacy service_role key\) bypasses Row Level Security/],
    ['a legacy service_role key', { preset: 'supabase', auth: 'static', token: `e30.${btoa(JSON.stringify({ role: 'service_role' }))}.sig` }, /bypasses Row Level Security/],
    ['a PocketBase superuser login', { preset: 'pocketbase', auth: 'dynamic', pocketbase: { collection: '_superusers' } }, /a superuser bypasses every API rule/],
  ])('%s', (_what, api, reason) => {
    const error = (() => {
      try {
        one({ baseURL: 'https://cms.example', ...api })
      }
      catch (failure) {
        return failure as Error
      }
    })()
    expect(error?.message).toMatch(/^\[nuxt-cms-auth\] cmsAuth\.apis\.api needs proxy: true: /)
    expect(error?.message).toMatch(reason)
    expect(error?.message).toContain('/api/_cms/api/')
    // The same API behind the proxy builds.
    expect(one({ baseURL: 'https://cms.example', ...api, proxy: true }).proxy).toBeTruthy()
  })

  it('refuses WordPress cookie mode without proxy: only the server can ask for the REST nonce', () => {
    expect(() => one({ preset: 'wordpress', auth: 'cookie', baseURL: 'https://wp.example' })).toThrow(/^\[nuxt-cms-auth\] cmsAuth\.apis\.api needs proxy: true: WordPress counts its login cookie only beside a REST nonce, which admin-ajax\.php hands out without CORS, so only the server can ask for it\. Add proxy: true/)
    expect(one({ preset: 'wordpress', auth: 'cookie', baseURL: 'https://wp.example', proxy: true }).cookieEndpoints).toEqual({ login: '/wp-login.php', user: '/wp-json/wp/v2/users/me' })
  })

  it('lets the public keys of the same CMSs be direct', () => {
    expect(one({ preset: 'storyblok', auth: 'static', baseURL: 'https://api.storyblok.com/v2/cdn', token: mockTokens.storyblokPublic }).credential).toEqual({ query: 'token' })
    expect(one({ preset: 'ghost', auth: 'static', baseURL: 'https://blog.example/ghost/api/content', token: mockTokens.ghostContent }).credential).toEqual({ query: 'key' })
    expect(one({ preset: 'supabase', auth: 'static', baseURL: 'https://x.supabase.co', token: mockTokens.supabase }).credential).toEqual({ header: 'apikey' })
    expect(one({ preset: 'contentful', auth: 'static', baseURL: 'https://cdn.contentful.com', token: mockTokens.contentful }).proxy).toBe(false)
  })

  it('places the Management and Admin credentials as those APIs want them, computed on the server for Ghost and WordPress', () => {
    const storyblok = one({ preset: 'storyblok', auth: 'static', baseURL: 'https://mapi.storyblok.com/v1', token: 't', storyblok: { api: 'management' }, proxy: true })
    expect(storyblok.credential).toEqual({ header: 'Authorization' })
    expect(storyblok.serverCredential).toBeUndefined()
    const ghost = one({ preset: 'ghost', auth: 'static', baseURL: 'https://blog.example/ghost/api/admin', tokenFromEnv: true, ghost: { api: 'admin' }, proxy: true })
    expect(ghost).toMatchObject({ credential: { header: 'Authorization', prefix: 'Ghost ' }, serverCredential: true })
    expect(one({ preset: 'wordpress', auth: 'static', baseURL: 'https://wp.example', tokenFromEnv: true, proxy: true })).toMatchObject({ credential: { header: 'Authorization', prefix: 'Basic ' }, serverCredential: true })
  })

  it('refuses a key in the wrong place for its kind, before it can leak into a URL', () => {
    expect(() => one({ preset: 'ghost', auth: 'static', baseURL: 'https://blog.example/ghost/api/content', token: mockTokens.ghostAdmin })).toThrow(/cmsAuth\.apis\.api\.token is a Ghost Admin API key \(<id>:<secret>\): set ghost: \{ api: 'admin' \}/)
    expect(() => one({ preset: 'ghost', auth: 'static', baseURL: 'https://blog.example/ghost/api/admin', token: 'abc', ghost: { api: 'admin' }, proxy: true })).toThrow(/is not a Ghost Admin API key: it has the form <id>:<secret>/)
    expect(() => one({ preset: 'contentful', auth: 'static', baseURL: 'https://cdn.contentful.com', token: mockTokens.contentfulManagement })).toThrow(/cmsAuth\.apis\.api\.token is a Content Management API token \(CFPAT-…\)/)
    expect(() => one({ preset: 'wordpress', auth: 'static', baseURL: 'https://wp.example', token: 'no-user', proxy: true })).toThrow(/must be "username:application password"/)
  })
})

describe('Supabase: the project key beside a login', () => {
  it('takes token with auth dynamic, and the browser sends it (public) in apikey beside the user\'s Bearer', () => {
    const apis = resolve({ supa: { preset: 'supabase', auth: 'dynamic', baseURL: 'https://x.supabase.co', token: mockTokens.supabase } })
    expect(apis[0]).toMatchObject({ loginKey: 'apikey', token: mockTokens.supabase, credential: { header: 'Authorization', prefix: 'Bearer ' } })
    expect(splitRuntimeConfig(apis).public.apis.supa).toMatchObject({ token: mockTokens.supabase, key: 'apikey', auth: 'dynamic' })
  })

  it('keeps the key private with proxy, and refuses a missing one in a production build unless tokenFromEnv', () => {
    const apis = resolve({ supa: { preset: 'supabase', auth: 'dynamic', baseURL: 'https://x.supabase.co', token: mockTokens.supabaseSecret, proxy: true } })
    const config = splitRuntimeConfig(apis)
    expect(JSON.stringify(config.public)).not.toContain(mockTokens.supabaseSecret)
    expect(config.private.apis.supa!.token).toBe(mockTokens.supabaseSecret)
    expect(() => resolveApis({ supa: { preset: 'supabase', auth: 'dynamic', baseURL: 'https://x.supabase.co' } }, { production: true, warn: () => {} }))
      .toThrow(/cmsAuth\.apis\.supa\.token is empty.*NUXT_PUBLIC_CMS_AUTH_APIS_SUPA_TOKEN/)
    expect(resolveApis({ supa: { preset: 'supabase', auth: 'dynamic', baseURL: 'https://x.supabase.co', tokenFromEnv: true } }, { production: true, warn: () => {} })[0]!.loginKey).toBe('apikey')
  })

  it('still refuses a token on another preset\'s login', () => {
    expect(() => one({ preset: 'payload', auth: 'dynamic', baseURL: '/cms', token: 't' })).toThrow(/cmsAuth\.apis\.api\.token is set but cmsAuth\.apis\.api\.auth is "dynamic"/)
  })
})
