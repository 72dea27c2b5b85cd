/*
 * Weak fallbacks for start-up entry points of areas still being written, so
 * the tree links at every commit.  Each disappears when its area lands.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "target/arm/cpu.h"
#include "hw/char/pl011.h"
#define W __attribute__((weak))
W void tcg_accel_register(void) {}
W void migration_init(void) {}
W void arm_cpu_qmp_register(void) {}
W void arm_cpu_register_vmstate(ARMCPU *cpu) {}
W bool migration_apply_global(const char *p, Error **errp) { return true; }
W bool migration_incoming_start(const char *u, Error **errp) { error_setg(errp, "not yet"); return false; }
W bool vmstate_dump_schema(const char *p, Error **errp) { error_setg(errp, "not yet"); return false; }
W void migration_shutdown(void) {}
W ARMCPU *arm_cpus[ARM_MAX_CPUS];
W unsigned arm_cpu_count;
W ARMCPU *arm_cpu_new(const char *m, const char *p, unsigned i, Error **errp) { return g_new0(ARMCPU, 1); }
W void arm_cpu_reset(ARMCPU *cpu) {}
W void arm_cpu_list(FILE *f) {}
