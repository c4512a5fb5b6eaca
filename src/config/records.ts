// Records keyed by user-given names (services, variables, profiles): no prototype, own keys only,
// so that `__proto__`, `constructor` or `toString` are plain names and never reach Object.prototype.

/** A record without a prototype: any key, `__proto__` included, is a plain key. */
export function emptyRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** The string value of `name` in an environment or record: own keys only, so `toString` or `__proto__` are just unset names. */
export function ownValue(record: Readonly<Record<string, string | null | undefined>>, name: string): string | undefined {
  if (!Object.hasOwn(record, name)) return undefined;
  const v = record[name];
  return typeof v === 'string' ? v : undefined;
}
