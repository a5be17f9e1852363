// Recognising the placeholder lines of a lazy edit (`// ... existing code ...`, `# ... rest of file ...`,
// `<!-- ... -->`): a comment line that stands for original lines the model did not repeat.

/** A comment on a line of its own, in the comment syntaxes placeholders are written in; group 1 is its text. */
const COMMENT_LINE = new RegExp(
  '^(?:' +
    [
      '(?:\\/\\/+|#+|--|;+|%+)\\s*(.*?)', // line comments: // # -- ; %
      '\\/\\*+\\s*(.*?)\\s*\\*+\\/', // /* ... */
      '\\{\\s*\\/\\*+\\s*(.*?)\\s*\\*+\\/\\s*\\}', // JSX {/* ... */}
      '<!--\\s*(.*?)\\s*-->', // HTML, XML, Markdown
      '\\(\\*\\s*(.*?)\\s*\\*\\)', // OCaml, Pascal
    ].join('|') +
    ')$',
);

const ELLIPSIS = /\.{3,}|…/;
const ELLIPSES = /\.{3,}|…/g;

/** Words that say the elided lines are the original ones; plain "..." alone says so by convention. */
const KEEPS_ORIGINAL = /\b(?:existing|unchanged|same|rest|remaining|remainder|omitted|elided|as before|previous (?:code|content|lines|implementation))\b/i;

/** Placeholder phrasings without an ellipsis ("rest of the code remains the same", "keep existing code"). */
const SENTENCE = /^(?:(?:the )?(?:rest|remainder) of (?:the )?[\w ]{0,30}(?:unchanged|the same|as before)|keep(?:ing)? (?:the )?existing\b.*|existing (?:code|content|lines|imports|methods|functions)\b.*)$/i;

/** The text inside the comment, when the line is nothing but a comment. */
function commentText(line: string): string | undefined {
  const match = COMMENT_LINE.exec(line.trim());
  if (!match) return undefined;
  return match.slice(1).find((group) => group !== undefined) ?? '';
}

/**
 * Whether `line` is a placeholder: a lone comment whose text is an ellipsis (optionally with words saying the
 * original stays, like "existing code" or "rest of file"), or one of the usual sentences for it. A bare `...`
 * is not one: it is code in Python and JavaScript. A comment with an ellipsis and other words ("wait...") is not.
 */
export function isPlaceholderLine(line: string): boolean {
  const text = commentText(line);
  if (text === undefined) return false;
  const trimmed = text.trim().replace(/[.:]+$/, (dots) => (dots.length >= 3 ? dots : ''));
  if (ELLIPSIS.test(trimmed)) {
    const words = trimmed.replace(ELLIPSES, ' ').trim();
    return words === '' || KEEPS_ORIGINAL.test(words);
  }
  return SENTENCE.test(trimmed);
}
