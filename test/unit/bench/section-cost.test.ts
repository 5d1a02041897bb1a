import { describe, expect, it } from 'vitest';
import { measureFrom } from '../../../bench/section-cost';

describe('bench section cost: CPU and load beside wall time', () => {
  it('counts the CPU this process spent, the machine CPU and the load before and after', () => {
    const cost = measureFrom();
    // Busy for 0.3 s of this process's CPU, not of wall time: on a loaded machine 0.3 s of wall time may hold
    // little of its CPU.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const cpuMs = () => {
      const used = process.cpuUsage(cpu0);
      return (used.user + used.system) / 1000;
    };
    let x = 0;
    while (performance.now() - t0 < 300 || cpuMs() < 300) x += Math.sqrt(x + 1);
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
