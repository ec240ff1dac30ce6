/**
 * The data-testid values the player renders, in one place so Playwright specs
 * and components agree. Stable: renaming one breaks lab regression suites.
 */

/** Start-up stages are free text ("node manager1"); test ids use dashes. */
export function stageSlug(stage: string): string {
  return stage.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export const testIds = {
  startLab: 'start-lab',
  sessionStatus: 'session-status',
  sessionPanel: 'session-panel',
  endSession: 'end-session',
  resetSession: 'reset-session',
  pauseSession: 'pause-session',
  resumeSession: 'resume-session',
  pausedBox: 'paused-box',
  resumeLinkButton: 'resume-link-button',
  resumeLink: 'resume-link',
  continueLab: (id: string) => `continue-${id}`,
  stepProgress: 'step-progress',
  timeLeft: 'time-left',
  diskUsage: 'disk-usage',
  error: 'error',
  modeToggle: 'mode-toggle',
  progress: (stage: string) => `progress-${stageSlug(stage)}`,
  step: (id: string) => `step-${id}`,
  check: (id: string) => `check-${id}`,
  checkResult: (id: string) => `check-result-${id}`,
  /** n counts the lab's command blocks from 1 in document order. */
  run: (n: number) => `run-${n}`,
  copy: (n: number) => `copy-${n}`,
  terminalTab: (node: string) => `terminal-tab-${node}`,
  terminal: (node: string) => `terminal-${node}`,
  hostname: (node: string) => `hostname-${node}`,
  registry: (field: 'hostname' | 'username' | 'password') => `registry-${field}`,
  lab: (id: string) => `lab-${id}`,
  announcer: 'announcer',
  terminalSettings: 'terminal-settings',
  fontSize: 'font-size',
  fontSmaller: 'font-smaller',
  fontLarger: 'font-larger',
  themeSelect: 'terminal-theme',
  screenReaderToggle: 'screen-reader-mode',
  viewTab: (view: 'text' | 'work') => `view-tab-${view}`,
} as const;
