// Reading a search text a model escaped once too often (`\n` for a line break, `\"` for a quote, `\\` for a
// backslash), as happens when a tool argument is JSON-encoded twice; and deciding whether its replacement was
// written the same way.

/** The escapes a JSON or shell encoding writes, and the character each stands for. */
const ESCAPED: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '`': '`', $: '$', '\\': '\\', '/': '/', '\n': '\n' };

/**
 * The text with each known escape read as its character, in one pass from left to right, so `\\n` (an escaped
 * backslash, then n) becomes `\n` as two characters, the way the source code spelled it, and not a line break.
 * A backslash before any other character is kept with that character.
 */
export function unescapeModelText(text: string): string {
  if (text.indexOf('\\') === -1) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && ESCAPED[text[i + 1]] !== undefined) {
      out += ESCAPED[text[i + 1]];
      i++;
    } else out += ch;
  }
  return out;
}

/** A backslash that starts no known escape: a text escaped as a whole would have written it as `\\`. */
function hasBareBackslash(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') continue;
    if (i + 1 >= text.length || ESCAPED[text[i + 1]] === undefined) return true;
    i++;
  }
  return false;
}

/**
 * Whether the replacement is escaped like its search, which matched the file only once unescaped. Models escape a
 * whole call alike, so it usually is; two signs say it was written plainly: a backslash that starts no escape
 * (`\d` in a regex: an escaped text has `\\d`), and real line breaks where the search spelled them `\n`.
 * Unescaping a plain replacement would corrupt the code it adds (`"say \"hi\""` would lose its backslashes).
 */
export function replacementEscapedLikeSearch(search: string, replace: string): boolean {
  if (unescapeModelText(replace) === replace || hasBareBackslash(replace)) return false;
  const searchSpellsLineBreaks = !search.includes('\n') && search.includes('\\n');
  return !(searchSpellsLineBreaks && replace.includes('\n'));
}
