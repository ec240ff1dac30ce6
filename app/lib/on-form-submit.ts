import type { FormEvent } from 'react';

/**
 * An onSubmit that hands the form's data to `handle`, instead of a React form
 * action: React resets a form once its action settles, so a refused sign-in or
 * join would wipe what was typed (and race a user already typing again).
 *
 *   <form onSubmit={onFormSubmit(submit)}>
 */
export function onFormSubmit(handle: (data: FormData) => unknown) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void handle(new FormData(event.currentTarget));
  };
}
