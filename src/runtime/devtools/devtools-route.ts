/** The dev-only route of the DevTools tab: its page, `/state` (JSON) and `/events` (reports from the app). */
export const DEVTOOLS_ROUTE = '/_cms-auth/devtools'
