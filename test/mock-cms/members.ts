/** Members the mock CMS lets log in; the playground's login page shows the first one. */
export const members = [
  { id: 9, email: 'demo@example.com', password: 'demo-password', name: 'Demo Member' },
  ...[1, 2, 3, 4, 5].map(n => ({ id: 100 + n, email: `user${n}@example.com`, password: `password-${n}`, name: `User ${n}` })),
]

export type Member = typeof members[number]

/** Email / account / identifier, whatever the vendor calls it. */
export function findMember(login: unknown, password: unknown): Member | undefined {
  return members.find(member => member.email === login && member.password === password)
}
