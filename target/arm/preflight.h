/*
 * Migration pre-flight (issue 8 item 3): will this source migrate to this
 * destination, and if not, why?  See preflight.c and docs/devel/kvm-tcg.md.
 */
#ifndef TARGET_ARM_PREFLIGHT_H
#define TARGET_ARM_PREFLIGHT_H

#include "cpu.h"
#include <json-glib/json-glib.h>

/* One side of a migration, as x-query-migration-source describes it. */
typedef struct ArmPreflightSide {
    char *accel;                /* "tcg", "kvm", "qtest" */
    unsigned kernel;            /* host Linux major*100+minor; 0 unknown */
    int gic_version;            /* 2 or 3; 0 unknown */
    bool gic_virt_ext;
    char *cpu_model;            /* "max", "cortex-a57", "host" */
    char *cpu_props;            /* "pauth=on" or NULL */
    uint64_t midr;
    /* The "cpu" section's list (architectural ids). */
    uint64_t *ids, *vals;
    uint32_t n;
    /* KVM-only registers carried (cpu/kvm-only-regs). */
    uint64_t *carry_ids, *carry_vals;
    uint32_t carry_n;
    /* Under KVM: the kernel's own list (KVM ids, core ids excluded). */
    uint64_t *kvm_ids, *kvm_vals;
    uint32_t kvm_n;
} ArmPreflightSide;

void arm_preflight_side_free(ArmPreflightSide *s);

/*
 * Every problem a migration from src to dst would meet, one line each
 * ("cpu: ...", "gic: ..."), appended to problems (char *).  Nothing is
 * appended when the migration will succeed.  Returns the count added.
 */
unsigned arm_preflight_check(const ArmPreflightSide *src,
                             const ArmPreflightSide *dst,
                             GPtrArray *problems);

/* The JSON object of x-query-migration-source, and its parser (bounded:
 * lists up to ARM_CPREG_LIST_MAX entries, hex strings only). */
JsonObject *arm_preflight_side_to_json(const ArmPreflightSide *s);
bool arm_preflight_side_from_json(JsonObject *o, ArmPreflightSide *s,
                                  Error **errp);

/* This process as a migration side (vCPU 0, current_machine). */
bool arm_preflight_describe_self(ArmPreflightSide *s, Error **errp);

/*
 * Under KVM: the kernel's register list of vCPU cpu_index with current
 * values (g_malloc'd arrays, core and SVE ids left out).  Installed by the
 * KVM code (target/arm/kvm.c); NULL under TCG.
 */
extern bool (*arm_preflight_kvm_list_hook)(unsigned cpu_index,
                                           uint64_t **ids, uint64_t **vals,
                                           uint32_t *n, Error **errp);

/* QMP handlers (registered by arm_preflight_qmp_register, idempotent). */
void qmp_x_query_migration_source(JsonObject *args, JsonNode **ret,
                                  Error **errp);
void qmp_x_query_migration_compat(JsonObject *args, JsonNode **ret,
                                  Error **errp);
void arm_preflight_qmp_register(void);
/* The "arm-preflight" live section and x-migration-preflight-section
 * (preflight-section.c); idempotent. */
void arm_preflight_section_register(void);

#endif
