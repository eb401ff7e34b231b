import type { Page } from 'playwright-core'
import { members } from '../mock-cms/members'

/**
 * Fills a fixture's login page (`#login`, `#email`, `#password`, `#submit`) for mock member `n`
 * once it has hydrated (a click before that would submit the form natively), and submits it.
 */
export async function submitLoginForm(page: Page, n: number): Promise<void> {
  await page.waitForSelector('#login[data-hydrated=true]')
  await page.fill('#email', members[n]!.email)
  await page.fill('#password', members[n]!.password)
  await page.click('#submit')
}
