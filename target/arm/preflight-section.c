/*
 * The pre-flight at the start of an incoming load (issue 8 item 3: "a
 * migration that would fail is refused at the start with the same
 * reasons, and the source keeps running").
 *
 * The vCPU state arrives at switch-over, after the RAM, so the "cpu"
 * section alone can only refuse late.  This iterative section,
 * "arm-preflight", is sent in the setup phase right after RAM's first
 * part: its SECTION_START body is the source's x-query-migration-source
 * object (be32 length, bounded by PREFLIGHT_MAX, then JSON text); its
 * SECTION_END body is empty.  The destination runs arm_preflight_check
 * against itself and fails the load before any RAM page is sent when it
 * finds problems; the return path then resumes the source.
 *
 * Sent for every live migration to a destination that answers (a socket
 * with the return path), for streams that cross accelerators or kernels
 * (a KVM source, or a vCPU that carries KVM-only registers because it came
 * from KVM), for a GICv2 with virtualization extensions (which only a TCG
 * machine with them can take), or when a user asks with
 * x-migration-preflight-section.  A plain TCG stream saved to a file or
 * through exec: stays byte-for-byte what QEMU's tools read (BRIEF idea 5:
 * new sections must not break what already reads our streams).
 */
#include "qemu/osdep.h"
#include "qapi/qmp-registry.h"
#include "migration/register.h"
#include "migration/migration.h"
#include "hw/boards.h"
#include "preflight.h"
#include "reconcile.h"

#define PREFLIGHT_MAX (1u << 20)    /* a 4096-entry list is ~200 KB */

static bool forced;            /* x-migration-preflight-section */
static bool got_start;         /* destination: START seen */

static bool preflight_active(void *opaque)
{
    const uint64_t *ids, *vals;

    if (forced || migration_outgoing_has_return_path() ||
        (current_machine && current_machine->accel &&
         !strcmp(current_machine->accel, "kvm"))) {
        return true;
    }
    /*
     * A GICv2 with the virtualization extensions has no home under KVM
     * (the in-kernel vGIC lacks them) nor on a machine without them: send
     * the interrupt-controller configuration so such a destination refuses
     * before RAM rather than in the arm_gic section after it.  Streams of
     * that configuration only (plain TCG streams stay as they were).
     */
    if (current_machine && current_machine->gic_virt_ext) {
        return true;
    }
    for (unsigned i = 0; i < arm_cpu_count && i < ARM_MAX_CPUS; i++) {
        if (arm_cpus[i] && arm_reconcile_carry_get(arm_cpus[i], &ids, &vals)) {
            return true;
        }
    }
    return false;
}

static bool preflight_save_setup(QEMUFile *f, void *opaque, Error **errp)
{
    ArmPreflightSide self;
    JsonGenerator *gen;
    JsonNode *root;
    gchar *text;
    gsize len;

    if (!arm_preflight_describe_self(&self, errp)) {
        return false;
    }
    root = json_node_alloc();
    json_node_init_object(root, arm_preflight_side_to_json(&self));
    json_object_unref(json_node_get_object(root));
    gen = json_generator_new();
    json_generator_set_root(gen, root);
    text = json_generator_to_data(gen, &len);
    g_object_unref(gen);
    json_node_unref(root);
    arm_preflight_side_free(&self);
    if (len > PREFLIGHT_MAX) {
        error_setg(errp, "description of %zu bytes exceeds %u", (size_t)len,
                   PREFLIGHT_MAX);
        g_free(text);
        return false;
    }
    qemu_put_be32(f, (uint32_t)len);
    qemu_put_buffer(f, (const uint8_t *)text, len);
    g_free(text);
    return true;
}

static bool preflight_load_setup(void *opaque, Error **errp)
{
    got_start = false;
    return true;
}

/* Check the source's description against this machine. */
static bool preflight_judge(const char *text, size_t len, Error **errp)
{
    JsonParser *jp = json_parser_new();
    ArmPreflightSide src, self;
    GPtrArray *problems;
    GError *gerr = NULL;
    JsonNode *root;
    bool ok = false;

    if (!json_parser_load_from_data(jp, text, (gssize)len, &gerr) ||
        !(root = json_parser_get_root(jp)) || !JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "source description is not a JSON object%s%s",
                   gerr ? ": " : "", gerr ? gerr->message : "");
        g_clear_error(&gerr);
        g_object_unref(jp);
        return false;
    }
    if (!arm_preflight_side_from_json(json_node_get_object(root), &src,
                                      errp)) {
        g_object_unref(jp);
        return false;
    }
    g_object_unref(jp);
    if (!arm_preflight_describe_self(&self, errp)) {
        arm_preflight_side_free(&src);
        return false;
    }
    problems = g_ptr_array_new_with_free_func(g_free);
    if (arm_preflight_check(&src, &self, problems)) {
        GString *s = g_string_new("");
        for (unsigned i = 0; i < problems->len; i++) {
            g_string_append_printf(s, "%s%s", i ? "; " : "",
                                   (char *)problems->pdata[i]);
        }
        error_setg(errp, "migration refused before RAM: %s", s->str);
        g_string_free(s, true);
    } else {
        ok = true;
    }
    g_ptr_array_free(problems, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&self);
    return ok;
}

static bool preflight_load_state(QEMUFile *f, void *opaque, int version_id,
                                 Error **errp)
{
    g_autofree char *text = NULL;
    uint32_t len;

    if (got_start) {
        return true;                    /* SECTION_END: empty */
    }
    got_start = true;
    len = qemu_get_be32(f);
    if (len > PREFLIGHT_MAX) {
        error_setg(errp, "source description of %u bytes exceeds %u", len,
                   PREFLIGHT_MAX);
        return false;
    }
    text = g_malloc(len + 1);
    if (!qemu_get_buffer(f, text, len)) {
        error_setg(errp, "source description truncated");
        return false;
    }
    text[len] = '\0';
    return preflight_judge(text, len, errp);
}

static const SaveVMHandlers preflight_handlers = {
    .is_active = preflight_active,
    .save_setup = preflight_save_setup,
    .load_setup = preflight_load_setup,
    .load_state = preflight_load_state,
};

/* x-migration-preflight-section {"enable": true}: send it for any stream. */
static void qmp_x_migration_preflight_section(JsonObject *args, JsonNode **ret,
                                              Error **errp)
{
    bool on = false, present = false;

    if (!qmp_arg_bool_opt(args, "enable", &on, &present, errp)) {
        return;
    }
    if (!present) {
        error_setg(errp, "Parameter 'enable' is missing");
        return;
    }
    forced = on;
}

void arm_preflight_section_register(void)
{
    static const char *const args[] = { "enable", NULL };
    static bool done;

    if (done) {
        return;
    }
    done = true;
    register_savevm_live("arm-preflight", 0, 1, &preflight_handlers, NULL);
    qmp_register_command("x-migration-preflight-section",
                         qmp_x_migration_preflight_section, args,
                         QCO_NO_OPTIONS);
}
