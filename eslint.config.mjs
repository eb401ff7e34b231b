import { createConfigForNuxt } from '@nuxt/eslint-config/flat'

// The Nuxt module authors' preset, with stylistic rules (2 spaces, no semicolons, single quotes).
export default createConfigForNuxt({
  features: { tooling: true, stylistic: true },
  dirs: { src: ['./playground', './test/fixtures/*'] },
}).append(
  {
    ignores: ['dist', '**/.nuxt', '**/.output', '.ci', 'test/nuxt3/node_modules', 'test/nuxt3/fixtures', 'bench/**/.nuxt', 'bench/**/.output', 'docs/.vitepress/cache', 'docs/.vitepress/dist'],
  },
  {
    rules: {
      // ofetch's and h3's generics meet CMS bodies of unknown shape at a few edges; each `any` stays local.
      '@typescript-eslint/no-explicit-any': 'off',
      // Virtual modules generated at build time have no types to import.
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description' }],
    },
  },
  {
    // Pages and fixture components are named by their route, not by a component convention.
    files: ['playground/**/*.vue', 'test/fixtures/**/*.vue', 'bench/**/*.vue'],
    rules: { 'vue/multi-word-component-names': 'off' },
  },
)
