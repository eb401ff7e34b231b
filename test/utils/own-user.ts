import { expect } from 'vitest'

/** Each rendered members page shows its own user (`User <n>`) and no one else's. */
export function expectOnlyOwnUser(pages: ReadonlyArray<readonly [number, string]>, users = [1, 2, 3, 4, 5]): void {
  for (const [n, html] of pages) {
    expect(html).toContain(`<p id="user">User ${n}</p>`)
    expect(html).toContain(`Members-only news for User ${n}`)
    for (const other of users.filter(o => o !== n))
      expect(html).not.toContain(`User ${other}`)
  }
}
