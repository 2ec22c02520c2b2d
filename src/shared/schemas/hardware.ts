import { z } from 'zod';
import type { HardwarePreset } from '../../engine/hardware/presets';
import { hardwareParameter } from '../../engine/hardware/parameters';
import { finite, label, nonEmptyLabel, sameShape } from './fields';
import type { Same } from './fields';

/** Hardware presets, as designs carry them: the shape here, each field's bounds in the engine's table. */

/**
 * The page size is checked in full even to open a notebook (unlike the other parameters, see
 * below): every size in a design is counted in pages of it.
 */
export const pageSizeSchema = z
  .int({ error: 'the page size must be a whole number of bytes' })
  .min(128, { error: 'the page size must be a power of two from 128 bytes to 1 MiB' })
  .max(1_048_576, { error: 'the page size must be a power of two from 128 bytes to 1 MiB' })
  .refine((page) => (page & (page - 1)) === 0, {
    error: 'the page size must be a power of two from 128 bytes to 1 MiB',
  });

/**
 * One parameter's field, from the engine's table (HARDWARE_PARAMETERS): a number, whole for
 * counts, at least 0 or above 0. Not its maximum: a notebook with a value over it still opens and
 * keeps it; the designer marks the field and running is refused (hardwareProblems names the field
 * and its bounds).
 */
function parameter(path: string) {
  const known = hardwareParameter(path);
  if (!known) throw new Error(`no hardware parameter ${path} in HARDWARE_PARAMETERS`);
  const number = known.whole ? z.int({ error: 'must be a whole number' }) : finite();
  return known.positive
    ? number.gt(0, { error: 'must be above 0' })
    : number.min(0, { error: 'must not be negative' });
}

export const hardwarePresetSchema = z.strictObject({
  name: nonEmptyLabel(100),
  description: label(2000),
  pageSizeBytes: pageSizeSchema,
  memory: z.strictObject({
    framesPerHost: parameter('memory.framesPerHost'),
    backgroundPagesPerSecond: parameter('memory.backgroundPagesPerSecond'),
  }),
  cpu: z.strictObject({
    faultOverheadMs: parameter('cpu.faultOverheadMs'),
    imaginaryFaultOverheadMs: parameter('cpu.imaginaryFaultOverheadMs'),
    fillZeroMs: parameter('cpu.fillZeroMs'),
    mapPageMs: parameter('cpu.mapPageMs'),
  }),
  disk: z.strictObject({
    randomReadMs: parameter('disk.randomReadMs'),
    clusteredReadMsPerPage: parameter('disk.clusteredReadMsPerPage'),
    transferMsPerPage: parameter('disk.transferMsPerPage'),
  }),
  ipc: z.strictObject({
    copyThresholdBytes: parameter('ipc.copyThresholdBytes'),
    localMessageMs: parameter('ipc.localMessageMs'),
    processSwitchMs: parameter('ipc.processSwitchMs'),
    copyMsPerByte: parameter('ipc.copyMsPerByte'),
    mapMsPerPage: parameter('ipc.mapMsPerPage'),
    messageHeaderBytes: parameter('ipc.messageHeaderBytes'),
    imaginaryRequestBytes: parameter('ipc.imaginaryRequestBytes'),
  }),
  network: z.strictObject({
    bitsPerSecond: parameter('network.bitsPerSecond'),
    latencyMs: parameter('network.latencyMs'),
    maxFragmentPayloadBytes: parameter('network.maxFragmentPayloadBytes'),
    packetHeaderBytes: parameter('network.packetHeaderBytes'),
  }),
  netMessageServer: z.strictObject({
    messageMs: parameter('netMessageServer.messageMs'),
    fragmentMs: parameter('netMessageServer.fragmentMs'),
    pageSendMs: parameter('netMessageServer.pageSendMs'),
    pageReceiveMs: parameter('netMessageServer.pageReceiveMs'),
    portRightMs: parameter('netMessageServer.portRightMs'),
    imaginaryObjectMs: parameter('netMessageServer.imaginaryObjectMs'),
    pieceMs: parameter('netMessageServer.pieceMs'),
  }),
  excise: z.strictObject({
    amapPerEntryMs: parameter('excise.amapPerEntryMs'),
    amapPerRealPageMs: parameter('excise.amapPerRealPageMs'),
    collapseFixedMs: parameter('excise.collapseFixedMs'),
    collapsePerEntryMs: parameter('excise.collapsePerEntryMs'),
    collapsePerResidentPageMs: parameter('excise.collapsePerResidentPageMs'),
    contextMs: parameter('excise.contextMs'),
  }),
  insert: z.strictObject({
    fixedMs: parameter('insert.fixedMs'),
    perEntryMs: parameter('insert.perEntryMs'),
    perPageMs: parameter('insert.perPageMs'),
  }),
});

sameShape<Same<z.output<typeof hardwarePresetSchema>, HardwarePreset>>();
