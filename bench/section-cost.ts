import os from 'node:os';

/**
 * What a section cost beside its wall time, on a shared 2-core machine where wall time alone says little: the CPU
 * of this process (Node: the engine and the scripted models in it, not its child processes), the CPU the whole
 * machine was busy for (browsers, servers, child processes and any other load), and the 1-minute load average
 * before and after.
 */
export interface SectionCost {
  seconds: number;
  cpuSeconds: number;
  machineCpuSeconds: number;
  load: [number, number];
}

const machineBusyMs = () =>
  os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

export function measureFrom(): () => SectionCost {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  const load0 = os.loadavg()[0]!;
  return () => {
    const cpu = process.cpuUsage(cpu0);
    return {
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      machineCpuSeconds: +((machineBusyMs() - busy0) / 1000).toFixed(1),
      load: [+load0.toFixed(2), +os.loadavg()[0]!.toFixed(2)],
    };
  };
}
