// Server components reach labdock's services through the composition root's slot.
import 'server-only';
import { getServicesSlot, type ServicesBase } from '@/runtime/services';

export function getServices(): ServicesBase {
  return getServicesSlot<ServicesBase>();
}
