// The webview's handle on VS Code: typed postMessage and the persisted state that survives hiding the panel.
import type { PanelToHostMessage } from '../shared/protocol';
import type { HunkDecisionView, PanelSnapshot } from '../shared/viewModel';

export interface PersistedState {
  version: 1;
  snapshot: PanelSnapshot;
  /** Per-hunk decisions of the pending review, keyed by hunkKey(path, index). */
  decisions: Record<string, HunkDecisionView>;
  decisionsFor: string | null;
  focusedHunk: string | null;
  changesScrollTop: number;
  timelineScrollTop: number;
}

interface VsCodeApi {
  postMessage(message: PanelToHostMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscodeApi: VsCodeApi = acquireVsCodeApi();

export function restoredState(): PersistedState | null {
  const state = vscodeApi.getState();
  if (typeof state !== 'object' || state === null || Reflect.get(state, 'version') !== 1) return null;
  return state as PersistedState;
}
