/**
 * Language tags as pages and feeds declare them (`ar-DZ`, `en_GB`, `AR`) reduced to the part the
 * bot can act on.
 */

/** The primary subtag of a language tag, lower case (`ar`, `en`); undefined when it is not one. */
export function primaryLanguage(tag: string | null | undefined): string | undefined {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}
