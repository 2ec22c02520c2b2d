import { Resource } from '../kernel/resource';
import type { RandomStream } from '../kernel/random';
import type { ProcessBody, SimEvent, Simulation } from '../kernel/simulation';
import type { HardwarePreset } from '../hardware/presets';
import { PhysicalMemory, backgroundDemand } from './memory';
import { TrialCounters } from './metrics';
import { NetMessageServer } from './netMessageServer';
import { MigrationManager } from './migration';
import { Pager } from './pager';
import type { Message } from './ports';
import { Port } from './ports';
import type { ImaginarySegment } from './imaginary';

/** A host (a Perq workstation): memory, disk, NetMessageServer and Pager/Scheduler. */
export class Host {
  readonly memory: PhysicalMemory;
  readonly disk: Resource;
  readonly nms: NetMessageServer;
  readonly pager: Pager;
  readonly migrationManager: MigrationManager;
  /** Kernel time spent on local IPC for messages, part of message-handling time. */
  ipcSeconds = 0;

  constructor(
    readonly cluster: Cluster,
    readonly name: string,
  ) {
    this.memory = new PhysicalMemory(cluster.hardware.memory.framesPerHost);
    this.disk = new Resource(cluster.sim, `${name}.disk`);
    this.nms = new NetMessageServer(this);
    this.pager = new Pager(this);
    this.migrationManager = new MigrationManager(this);
  }

  get sim(): Simulation {
    return this.cluster.sim;
  }

  createPort(name: string): Port {
    return new Port(this.cluster.nextId(), this, name, this.cluster.sim);
  }

  /** Kernel cost of moving a message between two processes on this host. */
  localIpcSeconds(message: Message): number {
    const ipc = this.cluster.hardware.ipc;
    let ms = ipc.localMessageMs;
    ms += message.inlineBytes < ipc.copyThresholdBytes ? message.inlineBytes * ipc.copyMsPerByte : 0;
    if (message.memory) ms += message.memory.length * ipc.mapMsPerPage; // mapped copy-on-write
    return ms / 1000;
  }

  /**
   * Send a message to a port. Local ports get it after the kernel's copy or
   * map; remote ports through this host's NetMessageServer. The event fires
   * when the message is on the target port's queue.
   */
  send(message: Message, target: Port): SimEvent<null> {
    const delivered = this.sim.event<null>();
    this.sim.process(this.deliver(message, target, delivered), `send ${message.kind}`);
    return delivered;
  }

  private *deliver(message: Message, target: Port, delivered: SimEvent<null>): ProcessBody<void> {
    const seconds = this.localIpcSeconds(message);
    if (this.cluster.counters.open) this.ipcSeconds += seconds;
    yield this.sim.timeout(seconds + this.cluster.hardware.ipc.processSwitchMs / 1000);
    if (target.host === this) target.enqueue(message);
    else yield* this.nms.transmit(message, target);
    delivered.succeed(null);
  }

  /** Seconds this host spent handling messages: its NetMessageServer's processor time plus local IPC. */
  get messageSeconds(): number {
    return this.nms.cpuSeconds + this.ipcSeconds;
  }
}

/** The simulated cluster: hosts on one Ethernet, sharing a clock and counters. */
export class Cluster {
  readonly link: Resource;
  readonly counters = new TrialCounters();
  readonly segments = new Map<number, ImaginarySegment>();
  readonly hosts: Host[] = [];
  private lastId = 0;

  constructor(
    readonly sim: Simulation,
    readonly hardware: HardwarePreset,
    readonly random: RandomStream,
    /** The Ethernet, which concurrent migrations in one simulation share. */
    link?: Resource,
  ) {
    this.link = link ?? new Resource(sim, 'ethernet');
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  addHost(name: string): Host {
    const host = new Host(this, name);
    this.hosts.push(host);
    host.nms.start();
    const pagesPerSecond = this.hardware.memory.backgroundPagesPerSecond;
    if (pagesPerSecond > 0) {
      this.sim.process(backgroundDemand(this.sim, host.memory, pagesPerSecond), `${name}.background`);
    }
    return host;
  }

  message(fields: Omit<Message, 'id'>): Message {
    return { id: this.nextId(), ...fields };
  }

  registerSegment(segment: ImaginarySegment): void {
    this.segments.set(segment.id, segment);
  }

  segment(id: number): ImaginarySegment {
    const segment = this.segments.get(id);
    if (!segment) throw new Error(`no imaginary segment ${id}`);
    return segment;
  }
}
