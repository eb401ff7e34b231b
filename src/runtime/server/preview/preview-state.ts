import type { H3Event } from 'h3'
import type { PreviewEntry } from '../../core/preview/preview-cookie-data'
import { sessionPassword } from '../session/session-config'
import { readPreviewCookie } from './preview-cookie'

// Keyed by the event object, not stored on `event.context`: Nitro's cached handlers render with a
// new event that shares the context but not the cookies, and must never see the editor's preview.
const verdicts = new WeakMap<H3Event, Promise<Record<string, PreviewEntry>>>()

/** The APIs this request is in preview for (its sealed cookie, unsealed once per request). */
export function previewEntriesOf(event: H3Event): Promise<Record<string, PreviewEntry>> {
  let verdict = verdicts.get(event)
  if (!verdict) {
    // Prerendering has no visitor and no cookie: nothing rendered then is ever a preview.
    verdict = import.meta.prerender ? Promise.resolve({}) : readPreviewCookie(event, String(sessionPassword() ?? ''))
    verdicts.set(event, verdict)
  }
  return verdict
}

/** The preview entry of `api` for this request, or `undefined` when it is not in preview. */
export async function previewEntryFor(event: H3Event, api: string): Promise<PreviewEntry | undefined> {
  return (await previewEntriesOf(event))[api]
}

/**
 * Whether the request is in preview for any API (or for `api`): such a request is answered with
 * `Cache-Control: private, no-store`, and a response cache must neither serve nor store it.
 */
export async function isPreviewRequest(event: H3Event, api?: string): Promise<boolean> {
  const entries = await previewEntriesOf(event)
  return api ? api in entries : Object.keys(entries).length > 0
}

/** What preview responses carry: only this browser may keep them, and not even it on disk. */
export const PREVIEW_CACHE_CONTROL = 'private, no-store'
