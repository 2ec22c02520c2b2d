import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { TrialResult } from '../../../engine/experiment/trial';
import { DEFAULT_FIGURE_SIZE } from '../../../shared/figures/charts';
import type { FigureData } from '../../../shared/figures/charts';
import type { FigureFormat } from '../../../shared/figures/export';
import {
  FIGURE_SIDE_PIXELS,
  isFigureScale,
  isFigureSide,
  MAX_FIGURE_SCALE,
} from '../../../shared/figures/export';
import type { Completeness } from '../../../shared/figures/partial';
import type { FigureSpec } from '../../../shared/figures/spec';

/** A figure that can be exported: what it shows and the results it is drawn from. */
export interface ExportTarget {
  key: string;
  label: string;
  spec: FigureSpec;
  results: readonly TrialResult[];
  /** A figure computed elsewhere (the live byte-rate chart); replaces spec and results. */
  data?: FigureData | undefined;
  /** Set when the experiment is partial: the exported figure says "partial: k of n trials". */
  partial?: Completeness | null | undefined;
}

/** The Export Figure dialog's state: which figure, at what size and scale (ExportFigureDialog saves). */
export const useFigureExportStore = defineStore('figureExport', () => {
  const open = ref(false);
  const targets = shallowRef<ExportTarget[]>([]);
  const selected = ref('');
  const width = ref<number>(DEFAULT_FIGURE_SIZE.width);
  const height = ref<number>(DEFAULT_FIGURE_SIZE.height);
  const scale = ref<number>(DEFAULT_FIGURE_SIZE.scale);
  const lastSaved = ref<string | null>(null);
  /** PNG (drawn here), or SVG and PDF (vector, drawn by the host's renderer). */
  const format = ref<FigureFormat>('png');
  /** Why the last save failed (the host's message), or null. */
  const failed = ref<string | null>(null);
  const saving = ref(false);

  const target = computed(() => targets.value.find((item) => item.key === selected.value) ?? null);
  const sizeProblem = computed(() => {
    if (!isFigureSide(width.value) || !isFigureSide(height.value)) {
      return `width and height must be whole pixels from ${FIGURE_SIDE_PIXELS.min} to ${FIGURE_SIDE_PIXELS.max}`;
    }
    if (!isFigureScale(scale.value)) return `the scale must be above 0 and at most ${MAX_FIGURE_SCALE}`;
    return null;
  });

  function show(list: ExportTarget[], key?: string): void {
    targets.value = list;
    selected.value = key ?? list[0]?.key ?? '';
    lastSaved.value = null;
    failed.value = null;
    open.value = true;
  }

  function close(): void {
    open.value = false;
  }

  /** Called by the dialog after it saved a file. */
  function saved(what: string): void {
    lastSaved.value = what;
    failed.value = null;
  }

  /** Called by the dialog when a save failed; the dialog stays open with what was chosen. */
  function failedWith(message: string): void {
    failed.value = message;
    lastSaved.value = null;
  }

  return {
    open,
    targets,
    selected,
    width,
    height,
    scale,
    target,
    sizeProblem,
    lastSaved,
    format,
    failed,
    saving,
    show,
    close,
    saved,
    failedWith,
  };
});
