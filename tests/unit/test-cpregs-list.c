/*
 * Unit tests of the migrated register list: save/load round trip and each
 * merge rule of issue 3 item 6 (extra, missing, read-as-zero, safe-missing,
 * hidden, view, constant mismatch, read-back failure, oversize, unsorted).
 */
#include "qemu/osdep.h"
#include <check.h>
#include "cpregs.h"
#include "cpreg-list.h"

#define ID(NAME) ARM_SYSREG_KVM_ID(SYSREG_##NAME)

typedef struct List {
    uint64_t ids[ARM_CPREG_LIST_MAX + 2];
    uint64_t vals[ARM_CPREG_LIST_MAX + 2];
    uint32_t len;
} List;

static ARMCPU *mkcpu(const char *model, const char *props)
{
    Error *err = NULL;
    ARMCPU *cpu = arm_cpu_new(model, props, 0, &err);
    ck_assert_msg(cpu, "%s", err ? error_get_pretty(err) : "");
    return cpu;
}

static uint64_t raw(ARMCPU *cpu, uint64_t id)
{
    const ArmCPReg *ri = arm_cpreg_find(cpu, id);
    ck_assert_msg(ri, "no register 0x%" PRIx64, id);
    return arm_cpreg_raw_read(cpu, ri);
}

static void set_raw(ARMCPU *cpu, uint64_t id, uint64_t v)
{
    arm_cpreg_raw_write(cpu, arm_cpreg_find(cpu, id), v);
}

static List *save(ARMCPU *cpu)
{
    List *l = g_new0(List, 1);
    l->len = arm_cpreg_list_save(cpu, l->ids, l->vals);
    return l;
}

/* Insert (id, val) keeping the list sorted. */
static void insert(List *l, uint64_t id, uint64_t val)
{
    uint32_t i = 0;
    while (i < l->len && l->ids[i] < id) {
        i++;
    }
    memmove(&l->ids[i + 1], &l->ids[i], (l->len - i) * sizeof(uint64_t));
    memmove(&l->vals[i + 1], &l->vals[i], (l->len - i) * sizeof(uint64_t));
    l->ids[i] = id;
    l->vals[i] = val;
    l->len++;
}

static void drop(List *l, uint64_t id)
{
    for (uint32_t i = 0; i < l->len; i++) {
        if (l->ids[i] == id) {
            memmove(&l->ids[i], &l->ids[i + 1],
                    (l->len - i - 1) * sizeof(uint64_t));
            memmove(&l->vals[i], &l->vals[i + 1],
                    (l->len - i - 1) * sizeof(uint64_t));
            l->len--;
            return;
        }
    }
    ck_abort_msg("0x%" PRIx64 " not in list", id);
}

static void setval(List *l, uint64_t id, uint64_t v)
{
    for (uint32_t i = 0; i < l->len; i++) {
        if (l->ids[i] == id) {
            l->vals[i] = v;
            return;
        }
    }
    ck_abort_msg("0x%" PRIx64 " not in list", id);
}

/* Load must fail with every needle in the message. */
static void load_fails(ARMCPU *cpu, List *l, const char *const *needles)
{
    Error *err = NULL;
    ck_assert(!arm_cpreg_list_load(cpu, l->ids, l->vals, l->len, NULL, &err));
    ck_assert_ptr_nonnull(err);
    for (; *needles; needles++) {
        ck_assert_msg(strstr(error_get_pretty(err), *needles),
                      "'%s' not in: %s", *needles, error_get_pretty(err));
    }
    error_free(err);
}

static void load_ok(ARMCPU *cpu, List *l, ArmCPRegMergeReport *rep)
{
    Error *err = NULL;
    ck_assert_msg(arm_cpreg_list_load(cpu, l->ids, l->vals, l->len, rep,
                                      &err), "%s",
                  err ? error_get_pretty(err) : "");
}

START_TEST(test_round_trip)
{
    static const char *const models[] = { "max", "cortex-a57", "cortex-a72" };
    ARMCPU *src = mkcpu(models[_i], _i == 0 ? "pauth=on,sve=on" : NULL);
    ARMCPU *dst = mkcpu(models[_i], _i == 0 ? "pauth=on,sve=on" : NULL);
    ArmCPRegMergeReport rep;
    uint64_t k = 0x0123456789abcdefULL;

    /* Give every writable listed register a distinct value. */
    for (uint32_t i = 0; i < src->cpreg_array_len; i++) {
        const ArmCPReg *ri = arm_cpreg_find(src, src->cpreg_indexes[i]);
        if (!(ri->flags & ARM_CP_CONST) && !ri->desc->raw_writefn) {
            arm_cpreg_raw_write(src, ri, k += 0x1111);
        }
    }
    set_raw(src, ID(OSLSR_EL1), 0x8);
    List *l = save(src);
    ck_assert_uint_eq(l->len, src->cpreg_array_len);
    load_ok(dst, l, &rep);
    ck_assert_uint_eq(rep.written, l->len);
    ck_assert_uint_eq(rep.reset, 0);
    for (uint32_t i = 0; i < l->len; i++) {
        ck_assert_uint_eq(raw(dst, l->ids[i]), l->vals[i]);
    }
    /* Saving the destination gives the same list back. */
    List *again = save(dst);
    ck_assert_int_eq(memcmp(again->ids, l->ids, l->len * 8), 0);
    ck_assert_int_eq(memcmp(again->vals, l->vals, l->len * 8), 0);
    g_free(l);
    g_free(again);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_extra_register_fails)
{
    ARMCPU *src = mkcpu("max", "sve=on");
    ARMCPU *dst = mkcpu("max", NULL);
    List *l = save(src);

    set_raw(dst, ID(TPIDR_EL1), 42);
    load_fails(dst, l, (const char *const[]) {
        "ZCR_EL1 (0x603000000013c090)", "1 incoming register",
        "x-mig-safe-missing-regs", NULL });
    /* Nothing was written: the load is all or nothing. */
    ck_assert_uint_eq(raw(dst, ID(TPIDR_EL1)), 42);
    g_free(l);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_many_extra_named_up_to_ten)
{
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    List *l = save(dst);
    Error *err = NULL;
    unsigned named = 0;

    for (unsigned i = 0; i < 12; i++) {    /* 12 unknown IMP DEF ids */
        insert(l, ARM_SYSREG_KVM_ID(ARM_SYSREG_ENC(3, 1, 15, 0, 0) + i), i);
    }
    ck_assert(!arm_cpreg_list_load(dst, l->ids, l->vals, l->len, NULL, &err));
    const char *msg = error_get_pretty(err);
    ck_assert_ptr_nonnull(strstr(msg, "12 incoming"));
    ck_assert_ptr_nonnull(strstr(msg, ", ..."));
    for (const char *p = msg; (p = strstr(p, "S3_1_C15_")); p++) {
        named++;
    }
    ck_assert_uint_eq(named, ARM_CPREG_REPORT_MAX);
    error_free(err);
    g_free(l);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_raz_and_safe_missing)
{
    ARMCPU *dst = mkcpu("max", "x-mig-safe-missing-regs=ZCR_EL1:"
                        "0x603000000013c108");
    List *l = save(dst);
    ArmCPRegMergeReport rep;
    uint64_t unalloc = ARM_SYSREG_KVM_ID(ARM_SYSREG_ENC(3, 0, 0, 0, 1));

    /* Unallocated ID register outside our table, RAZ value: accepted. */
    insert(l, unalloc, 0);
    insert(l, ID(ZCR_EL1), 3);              /* by name */
    insert(l, ID(APIAKEYLO_EL1), 0x1234);   /* by id */
    insert(l, ID(TCR2_EL1), ARM_CP_POISON); /* Linux 6.12 quirk table */
    load_ok(dst, l, &rep);
    ck_assert_uint_eq(rep.raz, 1);
    ck_assert_uint_eq(rep.safe, 3);
    /* ... but a non-zero value there is not the RAZ value. */
    setval(l, unalloc, 1);
    load_fails(dst, l, (const char *const[]) { "S3_0_C0_C0_1", "= 0x1",
                                               NULL });
    g_free(l);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_views_accepted)
{
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    List *l = save(dst);
    ArmCPRegMergeReport rep;

    /* KVM lists PMCNTENCLR/PMOVSCLR/PMINTENCLR/PMSWINC beside the SET forms. */
    insert(l, ID(PMCNTENCLR_EL0), raw(dst, ID(PMCNTENSET_EL0)));
    insert(l, ID(PMSWINC_EL0), 0);
    load_ok(dst, l, &rep);
    ck_assert_uint_eq(rep.views, 2);
    g_free(l);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_hidden)
{
    ARMCPU *src = mkcpu("cortex-a57", NULL);
    ARMCPU *dst = mkcpu("cortex-a57", "x-mig-hidden-regs=DISR_EL1");
    ARMCPU *dst2 = mkcpu("cortex-a57", "x-mig-hidden-regs=DISR_EL1,"
                         "x-mig-safe-missing-regs=DISR_EL1");
    List *l = save(src);

    ck_assert_uint_eq(dst->cpreg_array_len + 1, src->cpreg_array_len);
    for (uint32_t i = 0; i < dst->cpreg_array_len; i++) {
        ck_assert_uint_ne(dst->cpreg_indexes[i], ID(DISR_EL1));
    }
    /* The hidden register is still there for the guest. */
    ck_assert_ptr_nonnull(arm_cpreg_find(dst, ID(DISR_EL1)));
    /* An incoming hidden id is unknown here unless declared safe. */
    load_fails(dst, l, (const char *const[]) { "DISR_EL1", NULL });
    load_ok(dst2, l, NULL);
    g_free(l);
    arm_cpu_free(src);
    arm_cpu_free(dst);
    arm_cpu_free(dst2);
}
END_TEST

START_TEST(test_missing_is_reset)
{
    ARMCPU *src = mkcpu("cortex-a57", NULL);
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    ArmCPRegMergeReport rep;

    set_raw(src, ID(TPIDR_EL1), 7);
    List *l = save(src);
    drop(l, ID(TTBR0_EL1));
    drop(l, ID(SCTLR_EL1));
    /* Stale values on the destination must not survive. */
    set_raw(dst, ID(TTBR0_EL1), 0x4000);
    set_raw(dst, ID(SCTLR_EL1), 0x1005);
    load_ok(dst, l, &rep);
    ck_assert_uint_eq(rep.reset, 2);
    ck_assert_uint_eq(rep.reset_ids[0], ID(SCTLR_EL1));
    ck_assert_uint_eq(rep.reset_ids[1], ID(TTBR0_EL1));
    ck_assert_uint_eq(raw(dst, ID(TTBR0_EL1)), ARM_CP_POISON);
    ck_assert_uint_eq(raw(dst, ID(SCTLR_EL1)), 0x30d00800);
    ck_assert_uint_eq(raw(dst, ID(TPIDR_EL1)), 7);
    g_free(l);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_constant_mismatch)
{
    ARMCPU *src = mkcpu("cortex-a72", NULL);
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    List *l = save(src);

    load_fails(dst, l, (const char *const[]) {
        "constant registers differ", "MIDR_EL1 (0x603000000013c000)",
        "incoming 0x410fd083", "local 0x411fd070", NULL });
    g_free(l);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

static bool keep_midr(ARMCPU *cpu, const ArmCPReg *ri, uint64_t in,
                      uint64_t local)
{
    return ri->enc == SYSREG_MIDR_EL1;
}

START_TEST(test_constant_policy_hook)
{
    ARMCPU *src = mkcpu("cortex-a72", NULL);
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    ArmCPRegMergeReport rep;
    List *l = save(src);

    arm_cpreg_const_policy = keep_midr;
    /* MIDR is accepted by the policy; ID_MMFR0 (A72 0x10201105) is not. */
    load_fails(dst, l, (const char *const[]) { "1 constant register",
                                               "ID_MMFR0_EL1", NULL });
    setval(l, ID(ID_MMFR0_EL1), raw(dst, ID(ID_MMFR0_EL1)));
    setval(l, ID(PMCR_EL0), raw(dst, ID(PMCR_EL0)));   /* IDCODE differs */
    load_ok(dst, l, &rep);
    ck_assert_uint_eq(rep.const_kept, 1);
    ck_assert_uint_eq(raw(dst, ID(MIDR_EL1)), 0x411fd070);
    arm_cpreg_const_policy = NULL;
    g_free(l);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_readback_failure)
{
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    List *l = save(dst);

    /* OSLSR_EL1.OSLM is fixed: a value with other bits cannot be held. */
    setval(l, ID(OSLSR_EL1), 0x9);
    load_fails(dst, l, (const char *const[]) { "OSLSR_EL1", "wrote 0x9",
                                               "read 0x8", NULL });
    g_free(l);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_oversize_and_unsorted)
{
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    List *l = save(dst);
    char want[64];

    snprintf(want, sizeof(want), "%u entries", ARM_CPREG_LIST_MAX + 1);
    l->len = ARM_CPREG_LIST_MAX + 1;
    load_fails(dst, l, (const char *const[]) { want, "limit", NULL });
    g_free(l);
    l = save(dst);
    uint64_t t = l->ids[3];
    l->ids[3] = l->ids[4];
    l->ids[4] = t;
    load_fails(dst, l, (const char *const[]) { "not sorted", "entry 4",
                                               NULL });
    l->ids[4] = l->ids[3];
    load_fails(dst, l, (const char *const[]) { "not unique", NULL });
    g_free(l);
    arm_cpu_free(dst);
}
END_TEST

static Suite *list_suite(void)
{
    Suite *s = suite_create("cpreg-list");
    TCase *tc = tcase_create("merge");

    tcase_add_loop_test(tc, test_round_trip, 0, 3);
    tcase_add_test(tc, test_extra_register_fails);
    tcase_add_test(tc, test_many_extra_named_up_to_ten);
    tcase_add_test(tc, test_raz_and_safe_missing);
    tcase_add_test(tc, test_views_accepted);
    tcase_add_test(tc, test_hidden);
    tcase_add_test(tc, test_missing_is_reset);
    tcase_add_test(tc, test_constant_mismatch);
    tcase_add_test(tc, test_constant_policy_hook);
    tcase_add_test(tc, test_readback_failure);
    tcase_add_test(tc, test_oversize_and_unsorted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(list_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
