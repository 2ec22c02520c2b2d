// One pre-copy live migration in SimGrid's live-migration plugin (SimGrid 3.32, Debian's
// libsimgrid-dev), for `accent-lab crosscheck` (docs/model.md, "Cross-check against SimGrid").
//
// Build: g++ -O1 -std=c++17 crosscheck/simgrid/migrate.cpp -o migrate -lsimgrid
// Run:   ./migrate ram=BYTES bandwidth=BYTES_PER_S latency=SECONDS dirty=BYTES_PER_S \
//                  workingset=BYTES compute=SECONDS [migspeed=BYTES_PER_S] [--cfg=...]
//        ./migrate --simgrid-version   (prints the version of the SimGrid library it runs on)
//
// Two hosts joined by one link; a VM of `ram` bytes on the first runs one task for `compute`
// seconds of its CPU (0: longer than any migration) and is migrated to the second at time 0.
// SimGrid's dirty pages follow the VM's computation: bytes dirtied = flops computed x
// migration_speed x intensity / host_speed, capped at the working set each round. With the VM's
// task alone on its host it computes host_speed flops a second, so intensity = dirty / speed.
// Prints one JSON object: totalMigrationSeconds, downtimeSeconds, bytesSent, rounds.
#include <simgrid/plugins/live_migration.h>
#include <simgrid/s4u.hpp>
#include <simgrid/s4u/VirtualMachine.hpp>
#include <simgrid/version.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

namespace sg4 = simgrid::s4u;

XBT_LOG_NEW_DEFAULT_CATEGORY(crosscheck, "Accent Migration Lab cross-check");

namespace {
constexpr double kHostSpeed = 1e9; // flops per second; only its ratio to the task matters

std::map<std::string, double> args;
double suspended_at = -1;
double resumed_at   = -1;
double bytes_sent   = 0;
int messages        = 0;

double arg(const std::string& name)
{
  auto found = args.find(name);
  if (found == args.end())
    throw std::invalid_argument("missing argument " + name + "=");
  return found->second;
}

void workload()
{
  double compute = arg("compute");
  // 0 means "runs through the whole migration": a task far longer than any migration here.
  double flops = compute > 0 ? compute * kHostSpeed : 1e9 * kHostSpeed;
  sg4::this_actor::execute(flops);
}

void migrator(sg4::VirtualMachine* vm, sg4::Host* destination)
{
  double started = sg4::Engine::get_clock();
  sg_vm_migrate(vm, destination);
  double ended = sg4::Engine::get_clock();
  std::printf("{\"totalMigrationSeconds\":%.17g,\"downtimeSeconds\":%.17g,\"bytesSent\":%.17g,"
              "\"messages\":%d,\"maxDowntimeSeconds\":%.17g}\n",
              ended - started, resumed_at - suspended_at, bytes_sent, messages, sg_vm_get_max_downtime(vm));
  vm->destroy();
}
} // namespace

int main(int argc, char* argv[])
{
  if (argc == 2 && std::string(argv[1]) == "--simgrid-version") {
    int major = 0;
    int minor = 0;
    int patch = 0;
    sg_version_get(&major, &minor, &patch);
    std::printf("SimGrid version %d.%d.%d\n", major, minor, patch);
    return 0;
  }
  sg4::Engine engine(&argc, argv);
  for (int i = 1; i < argc; i++) {
    std::string text = argv[i];
    auto eq          = text.find('=');
    if (eq == std::string::npos)
      xbt_die("argument '%s' is not name=value", argv[i]);
    args[text.substr(0, eq)] = std::strtod(text.c_str() + eq + 1, nullptr);
  }
  sg_vm_live_migration_plugin_init();

  auto* zone = sg4::create_full_zone("crosscheck");
  auto* source      = zone->create_host("source", kHostSpeed);
  auto* destination = zone->create_host("destination", kHostSpeed);
  auto* link        = zone->create_link("link", arg("bandwidth"))->set_latency(arg("latency"));
  zone->add_route(source->get_netpoint(), destination->get_netpoint(), nullptr, nullptr,
                  {sg4::LinkInRoute(link)}, true);
  zone->seal();

  // The migration's rate cap (sg_vm_set_migration_speed), by default the link's bandwidth. SimGrid
  // needs one above 0: the dirty-page rate is proportional to it.
  double speed = args.count("migspeed") ? arg("migspeed") : arg("bandwidth");
  auto* vm     = source->create_vm("vm", 1, static_cast<size_t>(arg("ram")));
  vm->start();
  sg_vm_set_migration_speed(vm, speed);
  sg_vm_set_dirty_page_intensity(vm, arg("dirty") / speed);
  sg_vm_set_working_set_memory(vm, static_cast<sg_size_t>(arg("workingset")));

  sg4::VirtualMachine::on_suspend_cb([](sg4::VirtualMachine const&) { suspended_at = sg4::Engine::get_clock(); });
  sg4::VirtualMachine::on_resume_cb([](sg4::VirtualMachine const&) { resumed_at = sg4::Engine::get_clock(); });
  // The migration's data messages (stages 1-3) go through this mailbox; their sizes are the bytes sent.
  sg4::Comm::on_send_cb([](sg4::Comm const& comm) {
    if (comm.get_mailbox() && comm.get_mailbox()->get_name().rfind("__mbox_mig_src_dst:", 0) == 0) {
      bytes_sent += comm.get_remaining();
      messages += 1;
    }
  });

  sg4::Actor::create("workload", vm, workload);
  sg4::Actor::create("migrator", source, migrator, vm, destination)->daemonize();
  engine.run_until(1e8);
  return 0;
}
