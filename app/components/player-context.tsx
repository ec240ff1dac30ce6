'use client';
/**
 * What the lab's MDX components (Step, Command, Var) need from the player,
 * passed through context because mdx-bundler renders them, not the player.
 */
import { createContext, useContext } from 'react';

export interface StepInfo {
  id: string;
  title: string;
  hasCheck: boolean;
  autoCheck: boolean;
}

export interface StepResult {
  /** Sticky, like the server's record: a step once passed stays passed. */
  passed: boolean;
  /** The latest check's message: the hint when it failed. */
  message: string;
  checking: boolean;
  /** Whether any check ran (in this session): a result line is shown only then. */
  checked: boolean;
  /** When the shown result was checked (ms): tells one check's outcome from the next with the same words. */
  at?: number;
}

export type ReadingMode = 'page' | 'step';

export interface PlayerContextValue {
  /** True while the session is ready: Run and Check work only then. */
  ready: boolean;
  vars: Record<string, string>;
  mode: ReadingMode;
  /** The step the learner is on (the only one shown in step mode). */
  current: number;
  stepCount: number;
  results: Record<string, StepResult>;
  check(stepId: string): void;
  /** Types a command block into a node's terminal (undefined: the active tab). */
  run(node: string | undefined, code: string, interrupt: boolean): void;
  goTo(index: number): void;
  reportError(message: string): void;
}

export const PlayerContext = createContext<PlayerContextValue | null>(null);

export function usePlayer(): PlayerContextValue {
  const value = useContext(PlayerContext);
  if (!value) throw new Error('lab components must be rendered inside the lab player');
  return value;
}
