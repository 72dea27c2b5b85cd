/*
 * ARM generic timer device (see include/hw/timer/arm-gtimer.h).
 *
 * Count: CNTPCT = floor(QEMU_CLOCK_VIRTUAL ns * CNTFRQ / 1e9) + offset;
 * CNTVCT = CNTPCT - CNTVOFF_EL2 (Arm ARM D11.1.2).  QEMU_CLOCK_VIRTUAL stops
 * while the VM is stopped, so the guest never sees time pass while paused.
 *
 * Timer condition (D11.2.4): ENABLE and count >= CVAL (unsigned 64-bit);
 * the output line is that condition with IMASK clear.  The line is level:
 * it stays high until the guest moves CVAL, masks or disables the timer.
 * A QEMUTimer is armed for the first nanosecond at which the condition
 * becomes true; its callback just re-evaluates, so a stale expiry (for
 * instance one loaded from a stream) costs one spurious evaluation.
 */
#include "qemu/osdep.h"
#include "hw/timer/arm-gtimer.h"
#include "migration/vmstate.h"
#include "system/runstate.h"
#include "cpregs.h"

typedef struct GTimerCPU {
    ARMCPU *cpu;
    QEMUTimer qt[GTIMER_NUM];
    qemu_irq out[GTIMER_NUM];
    bool level[GTIMER_NUM];
    int which[GTIMER_NUM];        /* callback opaque: &which[n] -> n */
} GTimerCPU;

static GTimerCPU gtimers[ARM_MAX_CPUS];
static unsigned gtimer_count;
static int64_t cnt_offset;        /* ticks added to the scaled clock */
static bool vm_handler_added;
/* A load happened and the guest has not run since (see post_load). */
static bool count_loaded;

/* Migrated: the count at save time and the frequency it ran at. */
typedef struct GTimerMigState {
    uint64_t cntpct;
    uint32_t cntfrq;
} GTimerMigState;
static GTimerMigState mig;

static uint32_t gtimer_freq(ARMCPU *cpu)
{
    return cpu && cpu->cntfrq_hz ? cpu->cntfrq_hz : ARM_CNTFRQ_DEFAULT;
}

static uint64_t ns_to_ticks(int64_t ns, uint32_t freq)
{
    unsigned __int128 t = (unsigned __int128)(uint64_t)ns * freq;
    return (uint64_t)(t / 1000000000u);
}

static uint64_t gtimer_cntpct(ARMCPU *cpu)
{
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    return ns_to_ticks(ns, gtimer_freq(cpu)) + (uint64_t)cnt_offset;
}

uint64_t gtimer_read_count(ARMCPU *cpu, int which)
{
    uint64_t pct = gtimer_cntpct(cpu);
    return which == GTIMER_VIRT ? pct - cpu->env.sys.cntvoff_el2 : pct;
}

static GTimerCPU *gtimer_of(ARMCPU *cpu)
{
    if (!cpu || cpu->cpu_index >= gtimer_count ||
        gtimers[cpu->cpu_index].cpu != cpu) {
        return NULL;
    }
    return &gtimers[cpu->cpu_index];
}

/* Mirror of the host timer for the "cpu" section's gt_timer fields. */
static void gtimer_arm(GTimerCPU *g, int which, int64_t expire)
{
    if (expire < 0) {
        timer_del(&g->qt[which]);
    } else {
        timer_mod_ns(&g->qt[which], expire);
    }
    g->cpu->gt_timer_expire[which] = expire;
}

static void gtimer_set_line(GTimerCPU *g, int which, bool level)
{
    g->level[which] = level;
    qemu_set_irq(g->out[which], level);
}

void gtimer_ctl_cval_changed(ARMCPU *cpu, int which)
{
    GTimerCPU *g = gtimer_of(cpu);
    uint64_t ctl, cval, count, delta;
    unsigned __int128 wait_ns;
    int64_t now;

    if (!g || which < 0 || which >= GTIMER_NUM) {
        return;
    }
    ctl = cpu->env.sys.cnt_ctl[which];
    cval = cpu->env.sys.cnt_cval[which];
    if (!(ctl & 1)) {                         /* ENABLE clear */
        gtimer_arm(g, which, -1);
        gtimer_set_line(g, which, false);
        return;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    count = gtimer_read_count(cpu, which);
    if (count >= cval) {
        gtimer_arm(g, which, -1);
        gtimer_set_line(g, which, !(ctl & 2));  /* IMASK */
        return;
    }
    gtimer_set_line(g, which, false);
    /*
     * Smallest wait after which the scaled clock has advanced by delta
     * ticks: ceil(delta * 1e9 / freq).  A compare value centuries away
     * (beyond the int64 ns range) is not armed at all.
     */
    delta = cval - count;
    wait_ns = ((unsigned __int128)delta * 1000000000u + gtimer_freq(cpu) - 1)
              / gtimer_freq(cpu);
    if (wait_ns > (unsigned __int128)(INT64_MAX - now)) {
        gtimer_arm(g, which, -1);
        return;
    }
    gtimer_arm(g, which, now + (int64_t)wait_ns);
}

static void gtimer_expired(void *opaque)
{
    int *w = opaque;
    GTimerCPU *g = (GTimerCPU *)((char *)(w - *w) - offsetof(GTimerCPU, which));

    gtimer_ctl_cval_changed(g->cpu, *w);
}

void arm_gtimer_update_all(void)
{
    for (unsigned i = 0; i < gtimer_count; i++) {
        for (int t = 0; t < GTIMER_NUM; t++) {
            gtimer_ctl_cval_changed(gtimers[i].cpu, t);
        }
    }
}

bool arm_gtimer_output(unsigned cpu_index, int which)
{
    return cpu_index < gtimer_count && which >= 0 && which < GTIMER_NUM &&
           gtimers[cpu_index].level[which];
}

void arm_gtimer_set_count(uint64_t value)
{
    ARMCPU *cpu = gtimer_count ? gtimers[0].cpu : NULL;
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    cnt_offset = (int64_t)(value - ns_to_ticks(ns, gtimer_freq(cpu)));
    arm_gtimer_update_all();
}

void *arm_gtimer_vmstate_opaque(void)
{
    return &mig;
}

int64_t arm_gtimer_get_offset(void)
{
    return cnt_offset;
}

QEMUTimer *arm_gtimer_qemu_timer(unsigned cpu_index, int which)
{
    if (cpu_index >= gtimer_count || which < 0 || which >= GTIMER_NUM) {
        return NULL;
    }
    return &gtimers[cpu_index].qt[which];
}

void arm_gtimer_connect(unsigned cpu_index, int which, qemu_irq irq)
{
    if (cpu_index < ARM_MAX_CPUS && which >= 0 && which < GTIMER_NUM) {
        gtimers[cpu_index].out[which] = irq;
    }
}

/* Register-table hooks (target/arm/cpregs.h). */
static uint64_t gtimer_cntpct_hook(ARMCPU *cpu)
{
    return gtimer_cntpct(cpu);
}

static void gtimer_update_hook(ARMCPU *cpu, unsigned timer)
{
    gtimer_ctl_cval_changed(cpu, (int)timer);
}

/*
 * On VM start, re-arm from the architectural state: timers loaded from a
 * stream (or left armed across a stop) may carry expiries of another clock.
 */
static void gtimer_vm_state_change(void *opaque, bool running, RunState state)
{
    if (running) {
        if (count_loaded) {
            /*
             * Re-apply the loaded count: another section (QEMU's "timer")
             * may have moved the virtual clock after our post_load, and
             * the guest has not run since, so the count must still be
             * exactly what the source saved.
             */
            count_loaded = false;
            arm_gtimer_set_count(mig.cntpct);
        }
        arm_gtimer_update_all();
    }
}

/* ---- migration: section "arm-gtimer" ---- */

static bool gtimer_pre_save(void *opaque, Error **errp)
{
    ARMCPU *cpu = gtimer_count ? gtimers[0].cpu : NULL;

    mig.cntpct = gtimer_cntpct(cpu);
    mig.cntfrq = gtimer_freq(cpu);
    return true;
}

/*
 * The counter resumes from the saved count: the destination's virtual
 * clock is stopped until the VM starts, so the guest sees no jump at all
 * beyond what the source counted before it stopped (docs/devel/gic-timer.md).
 */
static bool gtimer_post_load(void *opaque, int version_id, Error **errp)
{
    ARMCPU *cpu = gtimer_count ? gtimers[0].cpu : NULL;

    if (mig.cntfrq != gtimer_freq(cpu)) {
        error_setg(errp, "arm-gtimer: counter frequency %" PRIu32 " Hz in the "
                   "stream, %" PRIu32 " Hz here (set the CPU property cntfrq "
                   "to match)", mig.cntfrq, gtimer_freq(cpu));
        return false;
    }
    arm_gtimer_set_count(mig.cntpct);
    count_loaded = true;
    return true;
}

const VMStateDescription vmstate_arm_gtimer = {
    .name = "arm-gtimer",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = gtimer_pre_save,
    .post_load = gtimer_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(cntpct, GTimerMigState),
        VMSTATE_UINT32(cntfrq, GTimerMigState),
        VMSTATE_END_OF_LIST()
    },
};

bool arm_gtimer_init(Error **errp)
{
    if (arm_cpu_count > ARM_MAX_CPUS) {
        error_setg(errp, "arm-gtimer: %u CPUs, at most %d supported",
                   arm_cpu_count, ARM_MAX_CPUS);
        return false;
    }
    arm_gtimer_cleanup();
    for (unsigned i = 0; i < arm_cpu_count; i++) {
        GTimerCPU *g = &gtimers[i];
        g->cpu = arm_cpus[i];
        for (int t = 0; t < GTIMER_NUM; t++) {
            g->which[t] = t;
            timer_init_ns(&g->qt[t], QEMU_CLOCK_VIRTUAL, gtimer_expired,
                          &g->which[t]);
        }
    }
    gtimer_count = arm_cpu_count;
    cnt_offset = 0;
    arm_cntpct_hook = gtimer_cntpct_hook;
    arm_gt_update_hook = gtimer_update_hook;
    if (vmstate_register(NULL, 0, &vmstate_arm_gtimer, &mig) < 0) {
        error_setg(errp, "arm-gtimer: section already registered");
        return false;
    }
    if (!vm_handler_added) {
        qemu_add_vm_change_state_handler(gtimer_vm_state_change, NULL);
        vm_handler_added = true;
    }
    return true;
}

void arm_gtimer_cleanup(void)
{
    for (unsigned i = 0; i < gtimer_count; i++) {
        for (int t = 0; t < GTIMER_NUM; t++) {
            timer_del(&gtimers[i].qt[t]);
        }
    }
    if (gtimer_count) {
        vmstate_unregister(&vmstate_arm_gtimer, &mig);
    }
    memset(gtimers, 0, sizeof(gtimers));
    gtimer_count = 0;
    cnt_offset = 0;
    count_loaded = false;
    if (arm_gt_update_hook == gtimer_update_hook) {
        arm_gt_update_hook = NULL;
        arm_cntpct_hook = NULL;
    }
}
