// Server-held session: dynamic tokens behind the proxy; the browser gets login/logout/session calls only.
export default defineNuxtConfig({
  modules: ['../../../../src/module'],
  devtools: { enabled: false },
  compatibilityDate: '2026-11-01',
  cmsAuth: { apis: { member: { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://cms.example/rcms-api/3', proxy: true } } },
})
