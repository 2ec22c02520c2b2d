import type { HardwarePreset } from '../../../../engine/hardware/presets';
import { hardwareParameter } from '../../../../engine/hardware/parameters';

// The hardware editor's fields (../HardwareEditor.vue), generated from the preset's own shape:
// their labels, groups and tooltips, and reading and writing a field's value.

/** A fieldset: the preset's numbers at its top (key '') or in one nested group. */
export interface HardwareGroup {
  key: string;
  legend: string;
  fields: { key: string; label: string }[];
}

/** "pageSizeBytes" -> "Page size (bytes)", "latencyMs" -> "Latency (ms)". */
const SPECIAL_LABELS: Record<string, string> = {
  bitsPerSecond: 'Bandwidth (bit/s)',
  amapPerEntryMs: 'AMap per entry (ms)',
  amapPerRealPageMs: 'AMap per RealMem page (ms)',
  pageSizeBytes: 'Page size (bytes)',
};

/** A field's label: the engine's parameter table's, else one made from its key (and unit). */
function labelOf(key: string, path = key): string {
  const known = hardwareParameter(path);
  if (known) return `${known.label} (${known.unit})`;
  const special = SPECIAL_LABELS[key];
  if (special) return special;
  const units: [RegExp, string][] = [
    [/MsPerByte$/, 'ms per byte'],
    [/MsPerPage$/, 'ms per page'],
    [/PagesPerSecond$/, 'pages/s'],
    [/BitsPerSecond$/i, 'bit/s'],
    [/Bytes$/, 'bytes'],
    [/Ms$/, 'ms'],
  ];
  let stem = key;
  let unit = '';
  for (const [pattern, name] of units) {
    if (pattern.test(stem)) {
      stem = stem.replace(pattern, '');
      unit = name;
      break;
    }
  }
  const words = stem
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase()
    .trim();
  const text = words.charAt(0).toUpperCase() + words.slice(1);
  return unit ? `${text || 'Value'} (${unit})` : text;
}

const GROUP_NAMES: Record<string, string> = {
  general: 'General',
  memory: 'Memory',
  cpu: 'CPU',
  disk: 'Disk',
  ipc: 'IPC',
  network: 'Network',
  netMessageServer: 'NetMessageServer',
  excise: 'Excise',
  insert: 'Insert',
};

/** Fieldsets from the preset's own shape: its numbers, then one per nested group. */
export function hardwareGroups(preset: HardwarePreset): HardwareGroup[] {
  const hardware = preset as unknown as Record<string, unknown>;
  const general: HardwareGroup = { key: '', legend: GROUP_NAMES.general!, fields: [] };
  const nested: HardwareGroup[] = [];
  for (const [key, value] of Object.entries(hardware)) {
    if (typeof value === 'number') general.fields.push({ key, label: labelOf(key) });
    else if (value && typeof value === 'object') {
      nested.push({
        key,
        legend: GROUP_NAMES[key] ?? labelOf(key),
        fields: Object.entries(value as Record<string, unknown>)
          .filter(([, inner]) => typeof inner === 'number')
          .map(([inner]) => ({ key: inner, label: labelOf(inner, `${key}.${inner}`) })),
      });
    }
  }
  return [general, ...nested];
}

/** A field's parameter path: "latencyMs" at the top, "network.latencyMs" in a group. */
export const pathOf = (group: string, field: string): string => (group ? `${group}.${field}` : field);

/** The tooltip: what the parameter is, its unit, and what in the paper fixed the 1987 value. */
export function tooltipOf(group: string, field: string): string {
  const known = hardwareParameter(pathOf(group, field));
  if (!known) return pathOf(group, field);
  return `${known.what}\nUnit: ${known.unit}.\nPerq 1987 value: ${known.paper}`;
}

/** The object that holds a field: the preset itself, or its nested group. */
function holderOf(preset: HardwarePreset, group: string): Record<string, number> {
  const hardware = preset as unknown as Record<string, Record<string, number> | number>;
  return group ? (hardware[group] as Record<string, number>) : (hardware as Record<string, number>);
}

export function hardwareValue(preset: HardwarePreset, group: string, field: string): number {
  return holderOf(preset, group)[field] ?? 0;
}

export function setHardwareValue(preset: HardwarePreset, group: string, field: string, value: number): void {
  holderOf(preset, group)[field] = value;
}
