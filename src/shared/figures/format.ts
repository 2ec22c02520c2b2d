import type { StrategyName } from '../../engine/model/migration';
import type { FigureUnit } from './data';

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

/**
 * A swept parameter's value with an SI prefix, to four significant digits: 1000000000 -> "1 G",
 * 2500000 -> "2.5 M", 0.25 -> "0.25" (the way the app writes values everywhere).
 */
export function formatSwept(value: number): string {
  const size = Math.abs(value);
  const short = (number: number): string => String(Number(number.toPrecision(4)));
  if (size >= 1e9) return `${short(value / 1e9)} G`;
  if (size >= 1e6) return `${short(value / 1e6)} M`;
  if (size >= 1e4) return `${short(value / 1e3)} k`;
  return short(value);
}

/** Each strategy's hue and saturation; its variants (prefetch values) vary the lightness. */
export const STRATEGY_HUES: Record<StrategyName, [number, number]> = {
  'pure-copy': [215, 20],
  'pure-iou': [221, 83],
  'resident-set': [25, 95],
  'pre-copy': [142, 70],
  'post-copy': [280, 60],
  hybrid: [340, 75],
  'sprite-flush': [48, 90],
};

/** Colours of strategy variants: grey for pure-copy, blues for pure-IOU, oranges for resident set, darker with more prefetch. */
export function variantColours(variants: readonly string[]): string[] {
  const byStrategy = new Map<string, string[]>();
  for (const variant of variants) {
    const strategy = variant.split(' ')[0]!;
    byStrategy.set(strategy, [...(byStrategy.get(strategy) ?? []), variant]);
  }
  return variants.map((variant) => {
    const strategy = variant.split(' ')[0]! as StrategyName;
    const group = byStrategy.get(strategy)!;
    const [hue, saturation] = STRATEGY_HUES[strategy] ?? [280, 60];
    const at = group.indexOf(variant);
    const lightness = group.length === 1 ? 45 : 68 - (36 * at) / (group.length - 1);
    return `hsl(${hue}, ${saturation}%, ${Math.round(lightness)}%)`;
  });
}

const formatPercent = (value: number): string => `${Number(value.toPrecision(3))}%`;

export function formatValue(value: number, unit: FigureUnit): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'bytes-per-second':
      return `${formatBytes(value)}/s`;
    case 'percent':
      return formatPercent(value);
    case 'count':
      return formatPlain(value);
    default:
      return formatSeconds(value);
  }
}

/** "1.5 M", "250 k", "0.25": SI prefixes for a sweep's parameter values. */
export function formatPlain(value: number): string {
  const size = Math.abs(value);
  const short = (number: number): string => String(Number(number.toPrecision(3)));
  if (size >= 1e9) return `${short(value / 1e9)} G`;
  if (size >= 1e6) return `${short(value / 1e6)} M`;
  if (size >= 1e4) return `${short(value / 1e3)} k`;
  return short(value);
}
