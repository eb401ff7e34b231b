import { mockTokens } from '../test/mock-cms/tokens'

// Every API points at the mock CMS this playground serves itself under /mock-cms, so
// `npm run playground` needs nothing else. Copy .env.example to .env to try env overrides.
export default defineNuxtConfig({
  modules: ['../src/module'],
  devtools: { enabled: true },
  compatibilityDate: '2026-11-01',
  cmsAuth: {
    apis: {
      // Kuroco api_id 1, "static access token" security: a read-only token the browser may see.
      news: {
        preset: 'kuroco',
        auth: 'static',
        baseURL: '/mock-cms/kuroco/rcms-api/1',
        token: process.env.KUROCO_STATIC_TOKEN || mockTokens.kuroco,
      },
      // Kuroco api_id 2, security "none".
      openNews: {
        preset: 'kuroco',
        baseURL: '/mock-cms/kuroco/rcms-api/2',
      },
      // microCMS with a GET-only API key.
      blog: {
        preset: 'microcms',
        auth: 'static',
        baseURL: '/mock-cms/microcms/api/v1',
        token: process.env.MICROCMS_API_KEY || mockTokens.microcms,
      },
      // Directus with a read-only user's static token.
      articles: {
        preset: 'directus',
        auth: 'static',
        baseURL: '/mock-cms/directus',
        token: process.env.DIRECTUS_STATIC_TOKEN || mockTokens.directus,
      },
      // microCMS with a write key: proxy mode keeps it on the server. GET everywhere, POST only
      // on /inquiries, as microCMS advises for write keys.
      contact: {
        preset: 'microcms',
        auth: 'static',
        baseURL: '/mock-cms/lab/microcms/api/v1',
        token: process.env.MICROCMS_WRITE_KEY || mockTokens.microcmsWrite,
        proxy: { methods: ['GET'], rules: [{ path: '/inquiries', methods: ['POST'] }] },
      },
      // Kuroco api_id 3, "dynamic access token" security: members log in (/login), the module
      // keeps the tokens in a cookie and refreshes them 5 s before they expire.
      member: {
        preset: 'kuroco',
        auth: 'dynamic',
        baseURL: '/mock-cms/kuroco/rcms-api/3',
        dynamic: { refreshMargin: 5 },
      },
      // The same Kuroco members behind the proxy: the server logs in and keeps the tokens in a
      // sealed httpOnly cookie (/server/login). Its password, NUXT_CMS_AUTH_SESSION_PASSWORD, is
      // generated into playground/.env (git-ignored) on the first `npm run playground`.
      memberServer: {
        preset: 'kuroco',
        auth: 'dynamic',
        baseURL: '/mock-cms/kuroco/rcms-api/3',
        dynamic: { refreshMargin: 5, loginRoute: '/server/login' },
        proxy: { rules: [{ path: '/content/**', methods: ['GET', 'POST'] }] },
      },
      // Kuroco api_id 4, "cookie" security, through the proxy: Kuroco's session cookie becomes
      // this app's own httpOnly cookie on /api/_cms, with a sealed copy pages carry for SSR
      // (/cookie/login). The same generated session password seals it.
      memberCookie: {
        preset: 'kuroco',
        auth: 'cookie',
        baseURL: '/mock-cms/kuroco/rcms-api/4',
        cookie: { loginRoute: '/cookie/login' },
        proxy: { rules: [{ path: '/content/**', methods: ['GET'] }] },
      },
    },
  },
})
