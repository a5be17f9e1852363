// The sidebar view's handle on VS Code: postMessage typed by the sidebar protocol, and the state VS Code keeps for
// the view while it is hidden. `acquireVsCodeApi` may be called once per page, so main.ts calls this once.
import type { SidebarToHostMessage } from '../../shared/sidebarProtocol';

export interface SidebarVsCodeApi {
  postMessage(message: SidebarToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): SidebarVsCodeApi;

export function acquireSidebarApi(): SidebarVsCodeApi {
  return acquireVsCodeApi();
}
