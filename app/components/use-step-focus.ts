'use client';
/**
 * Which step the learner is on. One step at a time: the step chosen with the
 * navigation, else the first not passed. Whole page: the step scrolled to,
 * else the first not passed.
 *
 *   const focus = useStepFocus({ count, firstOpen, scroller });
 *   focus.current; focus.goTo(2); focus.toggleMode();
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { clampStep } from '@/app/lib/step-progress';
import type { ReadingMode } from './player-context';

/** A step counts as "current" once its top passes this fraction of the pane's height. */
const READING_LINE = 0.3;

interface Options {
  count: number;
  firstOpen: number;
  /** The scrolling pane that holds the steps (elements with data-step-index). */
  scroller: RefObject<HTMLElement | null>;
}

export function useStepFocus({ count, firstOpen, scroller }: Options) {
  const [mode, setMode] = useState<ReadingMode>('page');
  const [chosen, setChosen] = useState<number | null>(null);
  const [scrolled, setScrolled] = useState<number | null>(null);
  const current = clampStep((mode === 'step' ? chosen : scrolled) ?? firstOpen, count);

  const stepElement = useCallback((index: number) =>
    scroller.current?.querySelector<HTMLElement>(`[data-step-index="${index}"]`) ?? null, [scroller]);

  // Whole-page mode follows the scroll position, once the learner scrolls.
  useEffect(() => {
    const pane = scroller.current;
    if (!pane || mode !== 'page') return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      const line = pane.getBoundingClientRect().top + pane.clientHeight * READING_LINE;
      const atBottom = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 4;
      let index = 0;
      for (const el of pane.querySelectorAll<HTMLElement>('[data-step-index]')) {
        const top = el.getBoundingClientRect().top;
        if (top <= line || (atBottom && top < pane.getBoundingClientRect().bottom)) index = Number(el.dataset.stepIndex);
      }
      setScrolled(index);
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    pane.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      pane.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [scroller, mode]);

  const goTo = useCallback((index: number) => {
    const target = clampStep(index, count);
    if (mode === 'step') {
      // Focus inside the step being hidden ("Next step ›") would fall to the page's start:
      // it goes to the new step's heading instead, where reading continues.
      const fromStep = !!document.activeElement?.closest('[data-step-index]');
      setChosen(target);
      scroller.current?.scrollTo({ top: 0 });
      if (fromStep) requestAnimationFrame(() => stepElement(target)?.querySelector<HTMLElement>('h2')?.focus());
    } else {
      setScrolled(target);
      const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      stepElement(target)?.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
    }
  }, [count, mode, scroller, stepElement]);

  const toggleMode = useCallback(() => {
    if (mode === 'page') {
      setChosen(current);
      setMode('step');
    } else {
      setScrolled(current);
      setMode('page');
      // After the other steps are shown again, bring the current one into view.
      requestAnimationFrame(() => stepElement(current)?.scrollIntoView({ block: 'start' }));
    }
  }, [mode, current, stepElement]);

  return { mode, current, goTo, toggleMode };
}
