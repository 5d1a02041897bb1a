import { describe, expect, it } from 'vitest';
import { measureFrom } from '../../../bench/section-cost';

describe('bench section cost: CPU and load beside wall time', () => {
  it('counts the CPU this process spent, the machine CPU and the load before and after', () => {
    const cost = measureFrom();
    const until = performance.now() + 300;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const c = cost();
    expect(x).toBeGreaterThan(0);
    expect(c.seconds).toBeGreaterThanOrEqual(0.3);
    // A busy loop of 0.3 s: most of it is this process's CPU, and the machine was busy at least as long.
    expect(c.cpuSeconds).toBeGreaterThanOrEqual(0.1);
    expect(c.machineCpuSeconds).toBeGreaterThanOrEqual(c.cpuSeconds - 0.1);
    expect(c.load).toHaveLength(2);
    for (const l of c.load) expect(l).toBeGreaterThanOrEqual(0);
  });
});
