// Direct cookie mode: credentials: 'include', login state from the CMS, middleware.
export default defineNuxtConfig({
  modules: ['../../../../src/module'],
  devtools: { enabled: false },
  compatibilityDate: '2026-11-01',
  cmsAuth: { apis: { member: { preset: 'kuroco', auth: 'cookie', baseURL: 'https://cms.example/rcms-api/6', cookie: { names: ['kuroco_session'] } } } },
})
