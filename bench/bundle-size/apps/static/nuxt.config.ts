// Static mode only: nothing of dynamic mode may reach this bundle.
export default defineNuxtConfig({
  modules: ['../../../../src/module'],
  devtools: { enabled: false },
  compatibilityDate: '2026-11-01',
  cmsAuth: { apis: { news: { preset: 'kuroco', auth: 'static', baseURL: 'https://cms.example/rcms-api/1', token: 'read-only' } } },
})
