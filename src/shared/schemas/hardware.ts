import { z } from 'zod';
import type { HardwarePreset } from '../../engine/hardware/presets';
import {
  bytes,
  label,
  nonEmptyLabel,
  nonNegative,
  positive,
  sameShape,
  wholeNonNegative,
  wholePositive,
} from './fields';
import type { Same } from './fields';

/** Hardware presets, as designs carry them. */

export const pageSizeSchema = z
  .int({ error: 'the page size must be a whole number of bytes' })
  .min(128, { error: 'the page size must be a power of two from 128 bytes to 1 MiB' })
  .max(1_048_576, { error: 'the page size must be a power of two from 128 bytes to 1 MiB' })
  .refine((page) => (page & (page - 1)) === 0, {
    error: 'the page size must be a power of two from 128 bytes to 1 MiB',
  });

export const hardwarePresetSchema = z.strictObject({
  name: nonEmptyLabel(100),
  description: label(2000),
  pageSizeBytes: pageSizeSchema,
  memory: z.strictObject({
    framesPerHost: wholePositive(),
    backgroundPagesPerSecond: nonNegative(),
  }),
  cpu: z.strictObject({
    faultOverheadMs: nonNegative(),
    imaginaryFaultOverheadMs: nonNegative(),
    fillZeroMs: nonNegative(),
    mapPageMs: nonNegative(),
  }),
  disk: z.strictObject({
    randomReadMs: nonNegative(),
    clusteredReadMsPerPage: nonNegative(),
    transferMsPerPage: nonNegative(),
  }),
  ipc: z.strictObject({
    copyThresholdBytes: bytes(),
    localMessageMs: nonNegative(),
    processSwitchMs: nonNegative(),
    copyMsPerByte: nonNegative(),
    mapMsPerPage: nonNegative(),
    messageHeaderBytes: wholeNonNegative(),
    imaginaryRequestBytes: wholeNonNegative(),
  }),
  network: z.strictObject({
    bitsPerSecond: positive(),
    latencyMs: nonNegative(),
    maxFragmentPayloadBytes: wholePositive(),
    packetHeaderBytes: wholeNonNegative(),
  }),
  netMessageServer: z.strictObject({
    messageMs: nonNegative(),
    fragmentMs: nonNegative(),
    pageSendMs: nonNegative(),
    pageReceiveMs: nonNegative(),
    portRightMs: nonNegative(),
    imaginaryObjectMs: nonNegative(),
    pieceMs: nonNegative(),
  }),
  excise: z.strictObject({
    amapPerEntryMs: nonNegative(),
    amapPerRealPageMs: nonNegative(),
    collapseFixedMs: nonNegative(),
    collapsePerEntryMs: nonNegative(),
    collapsePerResidentPageMs: nonNegative(),
    contextMs: nonNegative(),
  }),
  insert: z.strictObject({
    fixedMs: nonNegative(),
    perEntryMs: nonNegative(),
    perPageMs: nonNegative(),
  }),
});

sameShape<Same<z.output<typeof hardwarePresetSchema>, HardwarePreset>>();
