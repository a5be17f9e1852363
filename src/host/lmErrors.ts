// What a failed vscode.lm request means for the person: LanguageModelError's codes (consent not given, blocked or out
// of quota, model gone) become ModelErrors whose messages say what to do, with Select Model as the way out.
// Pure: reads the error's `name` and `code` (what LanguageModelError carries across the extension host) instead of
// importing 'vscode'.
import { cancelledError, ModelError } from '../agent/model/errors';

export interface LmModelLabel {
  /** The model's human-readable name, e.g. "GPT-4.1". */
  name: string;
  /** Who offers it, e.g. "copilot". */
  vendor: string;
}

const SELECT_MODEL = 'choose another model with Patchpilot: Select Model';

function describe(model: LmModelLabel): string {
  return `"${model.name}" (${model.vendor})`;
}

function detailOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && error.cause.message && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  // The messages below put their own full stop after the detail.
  return `${error.message || error.name}${cause}`.replace(/\.+$/, '');
}

/**
 * The code of a LanguageModelError ('NoPermissions', 'Blocked', 'NotFound', 'Unknown' …), or null for other errors.
 * VS Code 1.100 drops the code of an error a provider throws while a request starts (its RPC keeps only name and
 * message), so a LanguageModelError without a code is read from VS Code's own wording and the common words for it.
 */
export function languageModelErrorCode(error: unknown): string | null {
  if (!(error instanceof Error) || error.name !== 'LanguageModelError') return null;
  const code: unknown = Reflect.get(error, 'code');
  if (typeof code === 'string' && code !== '') return code;
  if (/cannot be used by|\bno permissions?\b|\bpermission\b|\bconsent\b/i.test(error.message)) return 'NoPermissions';
  if (/\bquota\b|\bblocked\b|rate.?limit|\bexceeded\b|\bexhausted\b|\bused up\b|\ballowance\b/i.test(error.message)) return 'Blocked';
  if (/\bis unknown\b|\bnot found\b/i.test(error.message)) return 'NotFound';
  return 'Unknown';
}

/** VS Code cancels a request whose model goes away (its extension stopped): that is not the person's Stop. */
function isCancellation(error: unknown): boolean {
  return error instanceof Error && (error.name === 'Canceled' || error.name === 'CancellationError' || error.message === 'Canceled');
}

export function modelGoneError(model: LmModelLabel, detail: string, cause?: unknown): ModelError {
  return new ModelError('bad_request', `The VS Code model ${describe(model)} is no longer available (${detail}): the extension that offers it may have been disabled, signed out or uninstalled. Make it available again, or ${SELECT_MODEL}.`, { cause });
}

/** Maps whatever sendRequest or its stream threw; `aborted` says whether Patchpilot itself cancelled the request. */
export function toLmModelError(error: unknown, model: LmModelLabel, aborted: boolean): ModelError {
  if (aborted) return cancelledError();
  if (error instanceof ModelError) return error;
  const detail = detailOf(error);
  switch (languageModelErrorCode(error)) {
    case 'NoPermissions':
      return new ModelError('auth', `Patchpilot may not use ${describe(model)} (${detail}). Allow Patchpilot to use ${model.name} in the consent dialog VS Code shows when a task starts, or ${SELECT_MODEL}.`, { cause: error });
    case 'Blocked':
      return new ModelError('rate_limited', `${describe(model)} is blocked for Patchpilot: the quota is used up or the provider refused the request (${detail}). Wait until the quota resets or check your plan with ${model.vendor}, or ${SELECT_MODEL}.`, { cause: error });
    case 'NotFound':
      return modelGoneError(model, detail, error);
    case null:
      if (isCancellation(error)) return modelGoneError(model, 'VS Code cancelled the request', error);
      break;
    default:
      break;
  }
  return new ModelError('server', `${describe(model)} failed: ${detail}. Try again, or ${SELECT_MODEL}.`, { cause: error });
}
