// The baseline: the same pages without the module.
export default defineNuxtConfig({ compatibilityDate: '2026-11-01', devtools: { enabled: false } })
