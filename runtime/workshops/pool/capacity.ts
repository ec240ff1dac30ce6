/**
 * The host-capacity contract the warm pool and cold joins reserve against:
 * the server's one capacity model (runtime/admission), which every session
 * books through. A reservation the pool makes is handed to the session
 * service with the session (`create(lab, { booking })`), which holds it and
 * gives it back when the session ends.
 */
export type { Admit, Capacity, SessionCost } from '../../admission/capacity';
