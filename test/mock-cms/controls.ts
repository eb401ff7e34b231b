import { $fetch } from 'ofetch'
import type { MockCmsState } from './state'

/** The mock's test knobs over HTTP, the way a test or bench drives a mock in another process. */
export function mockControls(cms: { url: string, state: MockCmsState }) {
  return {
    /** Token lifetimes, rotation and injected failures (see vendors/member-auth.ts). */
    knobs: (values: object) => $fetch(`${cms.url}/__mock/knobs`, { method: 'POST', body: values }),
    /** Every access token issued so far expires now. */
    expireAccess: () => $fetch(`${cms.url}/__mock/expire-access`, { method: 'POST' }),
    /** Kuroco refreshes that reached the CMS. */
    kurocoRefreshes: () => cms.state.counters['kuroco.refresh'] ?? 0,
  }
}
