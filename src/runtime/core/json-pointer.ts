/** The value at an RFC 6901 JSON pointer (`/data/access_token`, `''` for the whole document). */
export function readPointer(document: unknown, pointer: string): unknown {
  if (pointer === '')
    return document
  let value: any = document
  for (const part of pointer.replace(/^\//, '').split('/'))
    value = value?.[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  return value
}
