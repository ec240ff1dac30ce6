'use client';
// What the lab's MDX components (Step, Command, Var) need from the player.
import { createContext, useContext } from 'react';
import type { CheckOutcome } from '@/runtime/services';

export interface TerminalHandle {
  send(text: string): void;
  focus(): void;
}

export interface StepState {
  passed: boolean;
  message: string;
  checking: boolean;
}

export interface PlayerContextValue {
  ready: boolean;
  vars: Record<string, string>;
  mode: 'page' | 'step';
  currentStep: number;
  results: Record<string, StepState>;
  check(stepId: string): Promise<CheckOutcome | null>;
  runInNode(node: string | undefined, code: string, interrupt: boolean): void;
  selectStep(index: number): void;
}

export const PlayerContext = createContext<PlayerContextValue | null>(null);

export function usePlayer(): PlayerContextValue {
  const value = useContext(PlayerContext);
  if (!value) throw new Error('lab components must be rendered inside the lab player');
  return value;
}
