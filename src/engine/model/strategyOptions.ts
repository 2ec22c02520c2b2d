/**
 * The options of the strategies beyond 1987 (docs/model.md): their defaults, their bounds and
 * what they mean, in one table. The engine checks designs against it (strategyOptionsProblems),
 * src/shared/schemas builds the zod schema of notebook files and host calls from it, and the
 * designer draws its fields from it: a new option or a new bound is written here once.
 */

/** Parameters of the strategies beyond 1987; each has a default. */
export interface StrategyOptions {
  /** Pre-copy: most rounds before stop-and-copy (Xen's default is 30). */
  preCopyMaxRounds: number;
  /** Pre-copy and hybrid: stop the rounds once this many pages or fewer are dirty (Xen: 50). */
  preCopyStopPages: number;
  /**
   * Pre-copy and hybrid: also stop the rounds once the dirty pages could be sent within this
   * many seconds at the rate the last round achieved (its page bytes over its duration), as
   * QEMU's downtime limit and SimGrid's live-migration model do (SimGrid: 0.03 s). 0 turns this
   * rule off (the default).
   */
  preCopyMaxDowntimeSeconds: number;
  /** Hybrid: pre-copy rounds before switching to copy-on-reference (the switch trigger). */
  hybridRounds: number;
  /**
   * Hybrid: switch earlier, after any round during which pages were written faster than this
   * (pages per second of the round): pre-copy is not converging. 0 turns this trigger off.
   */
  hybridSwitchDirtyPagesPerSecond: number;
  /** Post-copy and hybrid: owed pages per active-push message; 0 turns the push off (demand paging only). */
  pushPagesPerMessage: number;
  /**
   * Post-copy and hybrid: push messages in flight at once. Real post-copy streams its pages over
   * one TCP connection, so the next message leaves while the last is on the wire; 1 is
   * stop-and-wait (each message waits for the delivery of the one before).
   */
  pushWindowMessages: number;
}

/** One option: its bounds (from `min`, 0 unless given, to `max`) and how the designer shows it. */
export interface StrategyOptionField {
  /** `whole`: a whole number (rounds, pages); `seconds`: any number of seconds. */
  kind: 'whole' | 'seconds';
  min?: number;
  max: number;
  default: number;
  /** The designer's label. */
  label: string;
  /** The designer's tooltip. */
  title: string;
}

/** Every option, in the order of StrategyOptions (and of the designer's fields). */
export const STRATEGY_OPTION_FIELDS: { readonly [Key in keyof StrategyOptions]: StrategyOptionField } = {
  preCopyMaxRounds: {
    kind: 'whole',
    max: 1000,
    default: 30,
    label: 'Pre-copy rounds (max)',
    title: 'Rounds before stop-and-copy',
  },
  preCopyStopPages: {
    kind: 'whole',
    max: 1_000_000,
    default: 50,
    label: 'Stop at dirty pages',
    title: 'Stop the rounds once this many pages or fewer are dirty',
  },
  preCopyMaxDowntimeSeconds: {
    kind: 'seconds',
    max: 3600,
    default: 0,
    label: 'Stop at downtime (s)',
    title:
      "Also stop the rounds once the dirty pages could go in this many seconds at the last round's rate (SimGrid: 0.03); 0: off",
  },
  hybridRounds: {
    kind: 'whole',
    max: 1000,
    default: 1,
    label: 'Hybrid rounds',
    title: 'Pre-copy rounds before the switch to post-copy',
  },
  hybridSwitchDirtyPagesPerSecond: {
    kind: 'whole',
    max: 1_000_000_000,
    default: 0,
    label: 'Hybrid: switch above dirty pages/s',
    title: 'Switch to post-copy after a round that dirtied pages faster than this; 0: rounds only',
  },
  pushPagesPerMessage: {
    kind: 'whole',
    max: 1024,
    default: 8,
    label: 'Push pages per message',
    title: 'Post-copy active push; 0 turns it off (demand paging only)',
  },
  pushWindowMessages: {
    kind: 'whole',
    min: 1,
    max: 64,
    // 4 x 8 pages = 128 KiB in flight (4 KiB pages): below a LAN TCP connection's window, and
    // enough to keep a 10 Gb/s link busy while the per-message work of the next is done.
    default: 4,
    label: 'Push messages in flight',
    title: 'Post-copy active push: messages sent before the first is delivered; 1: stop-and-wait',
  },
};

/** The option names, in the table's order. */
export const STRATEGY_OPTION_NAMES = Object.keys(STRATEGY_OPTION_FIELDS) as (keyof StrategyOptions)[];

export const DEFAULT_STRATEGY_OPTIONS: StrategyOptions = Object.fromEntries(
  STRATEGY_OPTION_NAMES.map((key) => [key, STRATEGY_OPTION_FIELDS[key].default]),
) as unknown as StrategyOptions;

export function strategyOptionsWithDefaults(options?: Partial<StrategyOptions>): StrategyOptions {
  return { ...DEFAULT_STRATEGY_OPTIONS, ...options };
}

/** Whether `value` is within an option's bounds. */
export function strategyOptionFits(field: StrategyOptionField, value: number): boolean {
  const whole = field.kind === 'whole' ? Number.isInteger(value) : Number.isFinite(value);
  return whole && value >= (field.min ?? 0) && value <= field.max;
}

/** What is wrong with strategy options, naming the field. */
export function strategyOptionsProblems(options: Partial<StrategyOptions>): string[] {
  const problems: string[] = [];
  for (const key of STRATEGY_OPTION_NAMES) {
    const value = options[key];
    const field = STRATEGY_OPTION_FIELDS[key];
    if (value === undefined || strategyOptionFits(field, value)) continue;
    const what = field.kind === 'whole' ? 'a whole number' : 'a number of seconds';
    problems.push(`strategyOptions.${key} must be ${what} from ${optionRange(field)}`);
  }
  return problems;
}

/** An option's range in words: "0 to 1,000". */
export function optionRange(field: StrategyOptionField): string {
  return `${(field.min ?? 0).toLocaleString('en-US')} to ${field.max.toLocaleString('en-US')}`;
}
