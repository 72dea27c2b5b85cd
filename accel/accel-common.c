/*
 * Accelerator registry and the generic vCPU controls
 * (see include/system/cpus.h).
 */
#include "qemu/osdep.h"
#include "system/cpus.h"

#define MAX_ACCELS 4

static const AccelOps *accels[MAX_ACCELS];
static unsigned nr_accels;
static const AccelOps *current;

void accel_register(const AccelOps *ops)
{
    g_assert(nr_accels < MAX_ACCELS);
    accels[nr_accels++] = ops;
}

const AccelOps *accel_find(const char *name)
{
    for (unsigned i = 0; i < nr_accels; i++) {
        if (!strcmp(accels[i]->name, name)) {
            return accels[i];
        }
    }
    return NULL;
}

const AccelOps *current_accel(void)
{
    return current;
}

void accel_set_current(const AccelOps *ops)
{
    current = ops;
}

void pause_all_vcpus(void)
{
    if (current && current->pause_all) {
        current->pause_all();
    }
}

void resume_all_vcpus(void)
{
    if (current && current->resume_all) {
        current->resume_all();
    }
}

void cpu_synchronize_all_states(void)
{
    if (current && current->synchronize_state) {
        current->synchronize_state();
    }
}

void cpu_synchronize_all_post_load(void)
{
    if (current && current->synchronize_post_load) {
        current->synchronize_post_load();
    }
}
