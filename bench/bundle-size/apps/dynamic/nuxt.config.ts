// Dynamic mode: login, refresh, cross-tab sync, middleware.
export default defineNuxtConfig({
  modules: ['../../../../src/module'],
  devtools: { enabled: false },
  compatibilityDate: '2026-11-01',
  cmsAuth: { apis: { member: { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://cms.example/rcms-api/3' } } },
})
