/*
 * -dump-vmstate FILE: the VMState schema of every registered section, as
 * JSON in the layout QEMU's -dump-vmstate writes (2-space indentation,
 * "vmschkmachine" first), so schemas of two builds, or of ours and QEMU's,
 * can be compared with QEMU's scripts/vmstate-static-checker.py.
 */
#include "qemu/osdep.h"
#include "migration/savevm.h"
#include "savevm-internal.h"

static void dump_vmsd(JsonWriter *w, const VMStateDescription *vmsd);

static void dump_field(JsonWriter *w, const VMStateField *field)
{
    json_writer_start_object(w, NULL);
    json_writer_str(w, "field", field->name);
    json_writer_int64(w, "version_id", field->version_id);
    json_writer_bool(w, "field_exists", field->field_exists != NULL);
    json_writer_int64(w, "size", field->size);
    if (field->vmsd) {
        json_writer_start_object(w, "Description");
        dump_vmsd(w, field->vmsd);
        json_writer_end_object(w);
    }
    json_writer_end_object(w);
}

/* Members of a description object (top level, struct or subsection). */
static void dump_vmsd(JsonWriter *w, const VMStateDescription *vmsd)
{
    const VMStateDescription *const *sub = vmsd->subsections;

    json_writer_str(w, "name", vmsd->name);
    json_writer_int64(w, "version_id", vmsd->version_id);
    json_writer_int64(w, "minimum_version_id", vmsd->minimum_version_id);
    json_writer_start_array(w, "Fields");
    for (const VMStateField *f = vmsd->fields; f && !(f->flags & VMS_END);
         f++) {
        dump_field(w, f);
    }
    json_writer_end_array(w);
    if (sub && *sub) {
        json_writer_start_array(w, "Subsections");
        for (; *sub; sub++) {
            json_writer_start_object(w, NULL);
            dump_vmsd(w, *sub);
            json_writer_end_object(w);
        }
        json_writer_end_array(w);
    }
}

bool vmstate_dump_schema(const char *path, Error **errp)
{
    JsonWriter *w = json_writer_new(true);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    GError *gerr = NULL;
    bool ok;

    json_writer_start_object(w, NULL);
    json_writer_start_object(w, "vmschkmachine");
    json_writer_str(w, "Name", savevm_machine_type());
    json_writer_end_object(w);
    for (GList *l = savevm_entries(); l; l = l->next) {
        SaveStateEntry *se = l->data;
        /* One entry per section name: instances share their schema. */
        if (!se->vmsd || g_hash_table_contains(seen, se->idstr)) {
            continue;
        }
        g_hash_table_add(seen, se->idstr);
        json_writer_start_object(w, se->idstr);
        json_writer_str(w, "Name", se->idstr);
        json_writer_int64(w, "version_id", se->vmsd->version_id);
        json_writer_int64(w, "minimum_version_id",
                          se->vmsd->minimum_version_id);
        json_writer_start_object(w, "Description");
        dump_vmsd(w, se->vmsd);
        json_writer_end_object(w);
        json_writer_end_object(w);
    }
    json_writer_end_object(w);
    ok = g_file_set_contents(path, json_writer_get(w), json_writer_len(w),
                             &gerr);
    if (!ok) {
        error_setg(errp, "cannot write the VMState schema: %s", gerr->message);
        g_error_free(gerr);
    }
    g_hash_table_destroy(seen);
    json_writer_free(w);
    return ok;
}
