/** One section of `npm run bench`: a table plus targets checked against measured figures. */
export interface BenchTarget {
  label: string;
  value: string;
  ok: boolean;
}

export interface BenchSection {
  name: string;
  rows: Record<string, string | number>[];
  targets: BenchTarget[];
}
