/**
 * The grammar of the sentences the mock's coverage makes ("never served an
 * ICLOUD account", "(1 request)"): one rule each, so every line reads right
 * whatever word or count it is given.
 *
 * @since 0.1.0
 */

/**
 * The word with its indefinite article: `an ICLOUD`, `a SLACK`. The article
 * goes by the sound the word starts with; the names these sentences hold
 * (account types, kinds of answer) are read as words, not spelled out
 * letter by letter ("an iCloud", "an Outlook", "an Exchange", "an
 * Instagram"), so a word starting with a vowel letter takes "an".
 *
 * @since 0.1.0
 * @category wording
 */
export const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`

/**
 * The count with the noun that agrees with it: `1 request`, `3 requests`.
 *
 * @since 0.1.0
 * @category wording
 */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`
