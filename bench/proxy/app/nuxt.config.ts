import { mockTokens } from '../../../test/mock-cms/tokens'

// One proxy API with every check switched on, so the benchmark measures the worst case.
export default defineNuxtConfig({
  modules: ['../../../src/module'],
  devtools: { enabled: false },
  compatibilityDate: '2026-11-01',
  // One build per transport: node-server (.output) and bun (.output-bun), see bench/proxy/index.ts.
  nitro: { output: { dir: process.env.BENCH_OUTPUT_DIR || '.output' } },
  cmsAuth: {
    apis: {
      cms: {
        preset: 'microcms',
        auth: 'static',
        baseURL: 'http://127.0.0.1:9/lab',
        token: mockTokens.microcmsWrite,
        proxy: {
          methods: ['GET'],
          rules: [{ path: '/microcms/api/v1/inquiries', methods: ['POST'] }, { path: '/admin/**', methods: [] }],
          allowedIPs: ['127.0.0.1', '::1', '10.0.0.0/8'],
          trustedProxies: ['10.0.0.1'],
          // Under Bun there is no socket: the benchmark sends the address as a host's edge would.
          clientAddressHeader: 'x-bench-client',
          rateLimit: { limit: 1_000_000_000, window: 60 },
          maxBodySize: 1024 * 1024,
          sameOrigin: true,
          timeout: 15_000,
        },
      },
      // The same CMS with the response cache on (bench:proxy's cached GET and cold single flight);
      // its base URL is the mock's root, so it reaches the microCMS service and the cache lab.
      cached: {
        preset: 'microcms',
        auth: 'static',
        baseURL: 'http://127.0.0.1:9',
        token: mockTokens.microcmsWrite,
        proxy: { cache: { maxAge: 3600 } },
      },
    },
  },
})
