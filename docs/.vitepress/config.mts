import { defineConfig } from 'vitepress'

const presets = [
  ['kuroco', 'Kuroco'],
  ['microcms', 'microCMS'],
  ['nocobase', 'NocoBase'],
  ['cockpit', 'Cockpit'],
  ['directus', 'Directus'],
  ['strapi', 'Strapi'],
  ['payload', 'Payload'],
  ['pocketbase', 'PocketBase'],
  ['storyblok', 'Storyblok'],
  ['contentful', 'Contentful'],
  ['ghost', 'Ghost'],
  ['wordpress', 'WordPress'],
  ['supabase', 'Supabase'],
  ['generic', 'Any REST API (generic)'],
]

const hosts = [
  ['node', 'Node server'],
  ['bun', 'Bun'],
  ['deno', 'Deno and Deno Deploy'],
  ['cloudflare', 'Cloudflare Workers and Pages'],
  ['netlify', 'Netlify'],
  ['vercel', 'Vercel'],
  ['aws-azure', 'AWS Lambda and Azure'],
  ['static', 'Static hosting'],
]

// Dead links fail the build (VitePress's default; never set `ignoreDeadLinks`). Anchors and the
// README are checked by check-docs.mjs, which `npm run docs:build` runs after this build.
export default defineConfig({
  title: 'nuxt-cms-auth',
  description: 'Headless-CMS credentials on every $fetch of a Nuxt app, during SSR and in the browser, from one cmsAuth config.',
  lastUpdated: false,
  themeConfig: {
    outline: [2, 3],
    search: { provider: 'local' },
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Modes', link: '/guide/modes' },
      { text: 'Presets', link: '/presets/' },
      { text: 'Reference', link: '/reference/configuration' },
      { text: 'Deployment', link: '/deployment/' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'Choosing a mode', link: '/guide/modes' },
          { text: 'Migrating from a plugin', link: '/guide/migration' },
          { text: 'Caching and webhooks', link: '/guide/caching' },
          { text: 'Preview mode', link: '/guide/preview' },
        ],
      },
      {
        text: 'Modes',
        items: [
          { text: 'Direct: static key or none', link: '/modes/direct-static' },
          { text: 'Direct: dynamic tokens', link: '/modes/direct-dynamic' },
          { text: 'Direct: CMS cookie', link: '/modes/direct-cookie' },
          { text: 'Proxy', link: '/modes/proxy' },
          { text: 'Server-held session', link: '/modes/server-session' },
          { text: 'Cookie through the proxy', link: '/modes/cookie-proxy' },
        ],
      },
      {
        text: 'Presets',
        collapsed: true,
        items: [
          { text: 'Overview', link: '/presets/' },
          ...presets.map(([name, text]) => ({ text, link: `/presets/${name}` })),
          { text: 'Wire protocols (Payload on)', link: '/protocols' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Configuration', link: '/reference/configuration' },
          { text: 'Environment variables', link: '/reference/environment' },
          { text: 'Composables, middleware, hooks', link: '/reference/composables' },
        ],
      },
      {
        text: 'Deployment',
        collapsed: true,
        items: [
          { text: 'Overview', link: '/deployment/' },
          ...hosts.map(([name, text]) => ({ text, link: `/deployment/${name}` })),
        ],
      },
      {
        text: 'More',
        items: [
          { text: 'Security', link: '/security' },
          { text: 'Troubleshooting', link: '/troubleshooting' },
          { text: 'DevTools tab', link: '/devtools' },
          { text: 'Benchmark results', link: '/bench/RESULTS' },
          { text: 'Architecture', link: '/architecture' },
          { text: 'Contributing', link: '/contributing' },
        ],
      },
    ],
  },
})
