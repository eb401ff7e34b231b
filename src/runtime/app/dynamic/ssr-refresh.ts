import { createRefreshHandoff } from '../../core/tokens/refresh-handoff'

/**
 * Server only: one handoff for every SSR render this server process makes. Two page requests of
 * one browser that both find the token expired carry the same refresh token; the second joins
 * the first one's refresh (or takes its result for 30 s) instead of spending a rotated refresh
 * token twice and being logged out. Keyed by the refresh token, which only its holder has.
 */
export const ssrRefreshHandoff = import.meta.server ? createRefreshHandoff({ keepMs: 30_000 }) : undefined
