/** 1234567 -> "1.23 MB"; for axes and tables. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? Math.round(value) : Number(value.toPrecision(3))} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds === 0) return '0 s';
  const short = (value: number): number => Number(value.toPrecision(3));
  if (Math.abs(seconds) < 0.001) return `${short(seconds * 1e6)} µs`;
  if (Math.abs(seconds) < 1) return `${short(seconds * 1000)} ms`;
  return `${short(seconds)} s`;
}

/** A palette that stays apart on white, for strategies and trials. */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#475569',
  '#ea580c',
  '#4f46e5',
  '#0d9488',
];

export const colour = (index: number): string => PALETTE[index % PALETTE.length]!;
