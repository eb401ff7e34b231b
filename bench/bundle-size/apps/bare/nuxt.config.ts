// The baseline: the same pages without the module.
export default defineNuxtConfig({ devtools: { enabled: false }, compatibilityDate: '2026-11-01' })
