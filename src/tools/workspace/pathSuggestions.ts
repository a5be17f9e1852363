// "Did you mean …?" for missing files: models often get a file's folder wrong but its name right.
import * as path from 'node:path';

const MAX_SUGGESTIONS = 5;

function stem(fileName: string): string {
  const extension = path.posix.extname(fileName);
  return (extension ? fileName.slice(0, -extension.length) : fileName).toLowerCase();
}

/** How many leading folders two paths share: the nearer a candidate is to the requested folder, the likelier. */
function sharedFolderDepth(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  let depth = 0;
  while (depth < left.length - 1 && depth < right.length - 1 && left[depth] === right[depth]) depth++;
  return depth;
}

/**
 * Existing files that are probably what `missingPath` meant: the same file name elsewhere (any case),
 * otherwise the same name with another extension (`.js` asked, `.ts` exists).
 */
export function suggestSimilarPaths(missingPath: string, existingFiles: readonly string[]): string[] {
  const wantedName = path.posix.basename(missingPath).toLowerCase();
  const wantedStem = stem(wantedName);
  const sameName: string[] = [];
  const sameStem: string[] = [];
  for (const file of existingFiles) {
    const name = path.posix.basename(file).toLowerCase();
    if (name === wantedName) sameName.push(file);
    else if (wantedStem !== '' && stem(name) === wantedStem) sameStem.push(file);
  }
  const candidates = sameName.length > 0 ? sameName : sameStem;
  return candidates
    .map((file) => ({ file, score: sharedFolderDepth(file, missingPath) }))
    .sort((x, y) => y.score - x.score || (x.file < y.file ? -1 : 1))
    .slice(0, MAX_SUGGESTIONS)
    .map((entry) => entry.file);
}
