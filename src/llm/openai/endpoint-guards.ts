/**
 * What every model and role on one endpoint shares: the gate that caps its requests in flight (and slows them
 * all down when the server pushes back) and the watch that waits out its short outages. One constructor, so the
 * page's worker and the CLI build the same pair from the same settings.
 */
import { AdaptiveGate } from './adaptive-gate';
import { OutageWatch } from './outage-watch';

export interface EndpointGuards {
  gate: AdaptiveGate;
  outage: OutageWatch;
}

/** `concurrency`: requests in flight at once; `outageGraceMs`: how long an outage is waited out (default 60 s). */
export function endpointGuards(settings: { concurrency: number; outageGraceMs?: number }): EndpointGuards {
  return { gate: new AdaptiveGate(settings.concurrency), outage: new OutageWatch(settings.outageGraceMs) };
}
