// Proxy mode: the key stays on the server; the browser's client for the API carries nothing.
export default defineNuxtConfig({
  modules: ['../../../../src/module'],
  devtools: { enabled: false },
  compatibilityDate: '2026-11-01',
  cmsAuth: { apis: { news: { preset: 'kuroco', auth: 'static', baseURL: 'https://cms.example/rcms-api/1', token: 'secret', proxy: true } } },
})
