// Public surface of the edit engine: pure functions over file contents; callers read and write the files.
export * from './types';
export { applyEditText, type ApplyEditOptions } from './apply-edit-text';
export { applySearchReplacePairs, type PairsResult } from './search-replace';
export { detectEditFormat } from './detect';
export { applyLazyEdit, type LazyResult } from './lazy-edit';
