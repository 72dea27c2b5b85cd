/*
 * The section registry and the stream as a whole (facts 1.2-1.9, 1.12):
 * header, configuration, START/PART/END sections of iterative handlers,
 * FULL sections of devices, footers, EOF and the JSON trailer; and the
 * loader that checks every record and names what it refuses.
 */
#include "qemu/osdep.h"
#include "migration/savevm.h"
#include "savevm-internal.h"

static GList *entries;          /* of SaveStateEntry*, stream order */
static int next_section_id;
/* Trailer being built by the current save (one save at a time). */
static JsonWriter *save_vmdesc;
static void (*load_lock)(void);
static bool load_return_path;
static void (*load_unlock)(void);

GList *savevm_entries(void)
{
    return entries;
}

static SaveStateEntry *find_entry(const char *idstr, int instance_id)
{
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (se->instance_id == instance_id && strcmp(se->idstr, idstr) == 0) {
            return se;
        }
    }
    return NULL;
}

static int next_instance_id(const char *idstr)
{
    int id = 0;

    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (strcmp(se->idstr, idstr) == 0 && se->instance_id >= id) {
            id = se->instance_id + 1;
        }
    }
    return id;
}

/* Higher priority first; equal priorities keep registration order. */
static gint entry_order(gconstpointer a, gconstpointer b)
{
    const SaveStateEntry *x = a, *y = b;

    if (x->priority != y->priority) {
        return y->priority - x->priority;
    }
    return x->section_id - y->section_id;
}

static int add_entry(const char *idstr, int instance_id, SaveStateEntry *se)
{
    if (strlen(idstr) > QEMU_FILE_IDSTR_MAX) {
        g_free(se);
        return -1;
    }
    g_strlcpy(se->idstr, idstr, sizeof(se->idstr));
    se->instance_id = instance_id == VMSTATE_INSTANCE_ID_ANY
                      ? next_instance_id(idstr) : instance_id;
    if (find_entry(se->idstr, se->instance_id)) {
        g_free(se);
        return -1;
    }
    se->section_id = next_section_id++;
    entries = g_list_insert_sorted(entries, se, entry_order);
    return se->section_id;
}

int vmstate_register(const char *idstr, int instance_id,
                     const VMStateDescription *vmsd, void *opaque)
{
    SaveStateEntry *se = g_new0(SaveStateEntry, 1);

    se->vmsd = vmsd;
    se->opaque = opaque;
    se->version_id = vmsd->version_id;
    se->priority = vmsd->priority;
    return add_entry(idstr ? idstr : vmsd->name, instance_id, se);
}

int register_savevm_live(const char *idstr, int instance_id, int version_id,
                         const SaveVMHandlers *ops, void *opaque)
{
    SaveStateEntry *se = g_new0(SaveStateEntry, 1);

    se->ops = ops;
    se->opaque = opaque;
    se->version_id = version_id;
    se->priority = MIG_PRI_DEFAULT;
    return add_entry(idstr, instance_id, se);
}

static void remove_if(bool (*match)(SaveStateEntry *, const void *, int),
                      const void *key, int n)
{
    GList *l = entries;

    while (l) {
        GList *next = l->next;
        if (match(l->data, key, n)) {
            g_free(l->data);
            entries = g_list_delete_link(entries, l);
        }
        l = next;
    }
}

void vmstate_unregister(const VMStateDescription *vmsd, void *opaque)
{
    GList *l = entries;

    while (l) {
        GList *next = l->next;
        SaveStateEntry *se = l->data;
        if (se->vmsd == vmsd && se->opaque == opaque) {
            g_free(se);
            entries = g_list_delete_link(entries, l);
        }
        l = next;
    }
}

static bool match_id(SaveStateEntry *se, const void *idstr, int instance_id)
{
    return se->instance_id == instance_id && strcmp(se->idstr, idstr) == 0;
}

void unregister_savevm(const char *idstr, int instance_id)
{
    remove_if(match_id, idstr, instance_id);
}

void vmstate_unregister_all(void)
{
    g_list_free_full(entries, g_free);
    entries = NULL;
    next_section_id = 0;
}

bool savevm_check_migratable(Error **errp)
{
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (se->vmsd && se->vmsd->unmigratable) {
            error_setg(errp, "State blocked by non-migratable device '%s'",
                       se->idstr);
            return false;
        }
    }
    return true;
}

/* --- saving ------------------------------------------------------------ */

static void put_section_header(QEMUFile *f, SaveStateEntry *se, uint8_t type)
{
    qemu_put_byte(f, type);
    qemu_put_be32(f, se->section_id);
    if (type == QEMU_VM_SECTION_START || type == QEMU_VM_SECTION_FULL) {
        qemu_put_counted_string(f, se->idstr);
        qemu_put_be32(f, se->instance_id);
        qemu_put_be32(f, se->version_id);
    }
}

static void put_section_footer(QEMUFile *f, SaveStateEntry *se)
{
    qemu_put_byte(f, QEMU_VM_SECTION_FOOTER);
    qemu_put_be32(f, se->section_id);
}

static bool live_active(SaveStateEntry *se)
{
    return se->ops && (!se->ops->is_active || se->ops->is_active(se->opaque));
}

void qemu_savevm_state_header(QEMUFile *f)
{
    json_writer_free(save_vmdesc);
    save_vmdesc = json_writer_new(false);
    json_writer_start_object(save_vmdesc, NULL);
    qemu_put_be32(f, QEMU_VM_FILE_MAGIC);
    qemu_put_be32(f, QEMU_VM_FILE_VERSION);
    /* Cannot fail for our own configuration; errors stick to f. */
    Error *err = NULL;
    if (!savevm_config_save(f, save_vmdesc, &err)) {
        qemu_file_set_error_obj(f, -EINVAL, err);
    }
}

bool qemu_savevm_state_setup(QEMUFile *f, Error **errp)
{
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (!live_active(se)) {
            continue;
        }
        put_section_header(f, se, QEMU_VM_SECTION_START);
        if (se->ops->save_setup && !se->ops->save_setup(f, se->opaque, errp)) {
            error_prepend(errp, "%s: setup failed: ", se->idstr);
            return false;
        }
        put_section_footer(f, se);
    }
    return !qemu_file_get_error_obj(f, errp);
}

int qemu_savevm_state_iterate(QEMUFile *f, Error **errp)
{
    int all_done = 1;

    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        int ret;

        if (!live_active(se) || !se->ops->save_live_iterate) {
            continue;
        }
        if (qemu_file_rate_limit(f)) {
            return qemu_file_get_error_obj(f, errp) ? -1 : 0;
        }
        put_section_header(f, se, QEMU_VM_SECTION_PART);
        ret = se->ops->save_live_iterate(f, se->opaque, errp);
        put_section_footer(f, se);
        if (ret < 0) {
            error_prepend(errp, "%s: ", se->idstr);
            return -1;
        }
        if (ret == 0) {
            all_done = 0;
        }
    }
    if (qemu_file_get_error_obj(f, errp)) {
        return -1;
    }
    return all_done;
}

uint64_t qemu_savevm_state_pending(bool exact)
{
    uint64_t total = 0;

    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (live_active(se) && se->ops->state_pending) {
            total += se->ops->state_pending(se->opaque, exact);
        }
    }
    return total;
}

static bool save_device(QEMUFile *f, SaveStateEntry *se, JsonWriter *vmdesc,
                        Error **errp)
{
    bool ok;

    if (se->vmsd->needed && !se->vmsd->needed(se->opaque)) {
        return true;
    }
    put_section_header(f, se, QEMU_VM_SECTION_FULL);
    json_writer_start_object(vmdesc, NULL);
    json_writer_str(vmdesc, "name", se->idstr);
    json_writer_int64(vmdesc, "instance_id", se->instance_id);
    ok = vmstate_save_state(f, se->vmsd, se->opaque, vmdesc, errp);
    json_writer_end_object(vmdesc);
    if (!ok) {
        error_prepend(errp, "%s, instance %d: ", se->idstr, se->instance_id);
        return false;
    }
    put_section_footer(f, se);
    return true;
}

bool qemu_savevm_state_complete(QEMUFile *f, Error **errp)
{
    JsonWriter *vmdesc = save_vmdesc;
    size_t len;

    g_assert(vmdesc);
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (!live_active(se)) {
            continue;
        }
        put_section_header(f, se, QEMU_VM_SECTION_END);
        if (se->ops->save_live_complete &&
            !se->ops->save_live_complete(f, se->opaque, errp)) {
            error_prepend(errp, "%s: ", se->idstr);
            return false;
        }
        put_section_footer(f, se);
    }
    json_writer_int64(vmdesc, "page_size", 1 << MIGRATION_TARGET_PAGE_BITS);
    json_writer_start_array(vmdesc, "devices");
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (se->vmsd && !save_device(f, se, vmdesc, errp)) {
            return false;
        }
    }
    json_writer_end_array(vmdesc);
    json_writer_end_object(vmdesc);
    qemu_put_byte(f, QEMU_VM_EOF);
    len = json_writer_len(vmdesc);
    qemu_put_byte(f, QEMU_VM_VMDESCRIPTION);
    qemu_put_be32(f, len);
    qemu_put_buffer(f, json_writer_get(vmdesc), len);
    qemu_fflush(f);
    return !qemu_file_get_error_obj(f, errp);
}

void qemu_savevm_state_cleanup(void)
{
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        if (se->ops && se->ops->save_cleanup) {
            se->ops->save_cleanup(se->opaque);
        }
    }
    json_writer_free(save_vmdesc);
    save_vmdesc = NULL;
}

bool qemu_savevm_state(QEMUFile *f, Error **errp)
{
    bool ok = savevm_check_migratable(errp);

    if (ok) {
        qemu_savevm_state_header(f);
        ok = qemu_savevm_state_setup(f, errp);
    }
    while (ok) {
        int r = qemu_savevm_state_iterate(f, errp);
        if (r < 0) {
            ok = false;
        } else if (r == 1) {
            break;
        }
    }
    if (ok) {
        ok = qemu_savevm_state_complete(f, errp);
    }
    qemu_savevm_state_cleanup();
    return ok;
}

/* --- loading ----------------------------------------------------------- */

bool qemu_loadvm_return_path_requested(void)
{
    return load_return_path;
}

void qemu_savevm_send_open_return_path(QEMUFile *f)
{
    qemu_put_byte(f, QEMU_VM_COMMAND);
    qemu_put_be16(f, MIG_CMD_OPEN_RETURN_PATH);
    qemu_put_be16(f, 0);
}

void qemu_loadvm_set_lock_hooks(void (*lock)(void), void (*unlock)(void))
{
    load_lock = lock;
    load_unlock = unlock;
}

/* Stream error (usually truncation) as the refusal, with context. */
static bool stream_failed(QEMUFile *f, Error **errp, const char *what)
{
    Error *local = NULL;

    if (!qemu_file_get_error_obj(f, &local)) {
        return false;
    }
    error_prepend(&local, "%s: ", what);
    error_propagate(errp, local);
    return true;
}

static bool check_footer(QEMUFile *f, SaveStateEntry *se, uint32_t id,
                         Error **errp)
{
    uint8_t b = qemu_get_byte(f);
    uint32_t got;

    if (stream_failed(f, errp, se->idstr)) {
        return false;
    }
    if (b != QEMU_VM_SECTION_FOOTER) {
        error_setg(errp, "Missing section footer for %s, instance %d "
                   "(got 0x%02x: the section body has a different length "
                   "than this side expects)", se->idstr, se->instance_id, b);
        return false;
    }
    got = qemu_get_be32(f);
    if (stream_failed(f, errp, se->idstr)) {
        return false;
    }
    if (got != id) {
        error_setg(errp, "Mismatched section id in footer for %s (%u, "
                   "expected %u)", se->idstr, got, id);
        return false;
    }
    return true;
}

static bool load_body(QEMUFile *f, SaveStateEntry *se, int version,
                      Error **errp)
{
    bool ok;

    if (se->vmsd) {
        if (load_lock) {
            load_lock();
        }
        ok = vmstate_load_state(f, se->vmsd, se->opaque, version, errp);
        if (load_unlock) {
            load_unlock();
        }
    } else {
        ok = se->ops->load_state &&
             se->ops->load_state(f, se->opaque, version, errp);
        if (!ok && !se->ops->load_state) {
            error_setg(errp, "cannot load this section");
        }
    }
    if (ok && qemu_file_get_error_obj(f, errp)) {
        ok = false;
    }
    if (!ok) {
        error_prepend(errp, "%s, instance %d: ", se->idstr, se->instance_id);
    }
    return ok;
}

static bool load_section_start(QEMUFile *f, uint8_t type, Error **errp)
{
    char idstr[QEMU_FILE_IDSTR_MAX + 1];
    uint32_t section_id, instance_id, version_id;
    SaveStateEntry *se;

    section_id = qemu_get_be32(f);
    qemu_get_counted_string(f, idstr);
    instance_id = qemu_get_be32(f);
    version_id = qemu_get_be32(f);
    if (stream_failed(f, errp, "section header")) {
        return false;
    }
    se = find_entry(idstr, instance_id);
    if (!se) {
        /* Names from the stream are escaped: a refusal stays one line. */
        g_autofree char *esc = g_strescape(idstr, NULL);
        error_setg(errp, "Unknown section or instance '%s' %u: this VM has "
                   "no such device (compare the VM configurations)",
                   esc, instance_id);
        return false;
    }
    if (version_id > (uint32_t)se->version_id) {
        error_setg(errp, "%s, instance %u: unsupported version %u (this side "
                   "loads up to version %d)", idstr, instance_id, version_id,
                   se->version_id);
        return false;
    }
    if (type == QEMU_VM_SECTION_START && !se->ops) {
        error_setg(errp, "%s, instance %u: sent as an iterative section but "
                   "it is a device here", idstr, instance_id);
        return false;
    }
    se->load_section_id = section_id;
    se->load_version_id = version_id;
    se->load_seen = true;
    return load_body(f, se, version_id, errp) &&
           check_footer(f, se, section_id, errp);
}

static bool load_section_part(QEMUFile *f, Error **errp)
{
    uint32_t section_id = qemu_get_be32(f);
    SaveStateEntry *se = NULL;

    if (stream_failed(f, errp, "section header")) {
        return false;
    }
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *e = l->data;
        if (e->load_seen && e->ops &&
            (uint32_t)e->load_section_id == section_id) {
            se = e;
            break;
        }
    }
    if (!se) {
        error_setg(errp, "Unknown section %u (no START record for it)",
                   section_id);
        return false;
    }
    return load_body(f, se, se->load_version_id, errp) &&
           check_footer(f, se, section_id, errp);
}

static bool load_command(QEMUFile *f, Error **errp)
{
    uint16_t cmd = qemu_get_be16(f);
    uint16_t len = qemu_get_be16(f);
    int expect;

    if (stream_failed(f, errp, "command")) {
        return false;
    }
    switch (cmd) {
    case MIG_CMD_OPEN_RETURN_PATH:
        load_return_path = true;
        expect = 0;
        break;
    case MIG_CMD_SWITCHOVER_START:
        expect = 0;
        break;
    case MIG_CMD_PING:
        expect = 4;
        break;
    case MIG_CMD_POSTCOPY_ADVISE:
        if (len != 0) {
            error_setg(errp, "the source wants postcopy, which this side "
                       "does not support");
            return false;
        }
        expect = 0;
        break;
    default:
        error_setg(errp, "Unsupported migration command 0x%x (length %u)",
                   cmd, len);
        return false;
    }
    if (len != expect) {
        error_setg(errp, "migration command 0x%x has length %u, expected %d",
                   cmd, len, expect);
        return false;
    }
    qemu_file_skip(f, len);
    return !stream_failed(f, errp, "command");
}

static bool load_trailer(QEMUFile *f, Error **errp)
{
    uint32_t len;

    if (qemu_peek_byte(f, 0) != QEMU_VM_VMDESCRIPTION) {
        return true;    /* optional (suppress-vmdesc, old sources) */
    }
    qemu_get_byte(f);
    len = qemu_get_be32(f);
    qemu_file_skip(f, len);
    return !stream_failed(f, errp, "description trailer");
}

static void load_cleanup(void)
{
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        se->load_seen = false;
        if (se->ops && se->ops->load_cleanup) {
            se->ops->load_cleanup(se->opaque);
        }
    }
}

static bool load_setup(Error **errp)
{
    for (GList *l = entries; l; l = l->next) {
        SaveStateEntry *se = l->data;
        se->load_seen = false;
        if (se->ops && se->ops->load_setup &&
            !se->ops->load_setup(se->opaque, errp)) {
            error_prepend(errp, "%s: ", se->idstr);
            return false;
        }
    }
    return true;
}

static bool load_records(QEMUFile *f, Error **errp)
{
    for (;;) {
        uint8_t type = qemu_get_byte(f);

        if (stream_failed(f, errp, "record type")) {
            return false;
        }
        switch (type) {
        case QEMU_VM_SECTION_START:
        case QEMU_VM_SECTION_FULL:
            if (!load_section_start(f, type, errp)) {
                return false;
            }
            break;
        case QEMU_VM_SECTION_PART:
        case QEMU_VM_SECTION_END:
            if (!load_section_part(f, errp)) {
                return false;
            }
            break;
        case QEMU_VM_COMMAND:
            if (!load_command(f, errp)) {
                return false;
            }
            break;
        case QEMU_VM_EOF:
            return load_trailer(f, errp);
        default:
            error_setg(errp, "Unknown section type %u", type);
            return false;
        }
    }
}

bool qemu_loadvm_state(QEMUFile *f, Error **errp)
{
    uint32_t magic, version;
    uint8_t b;
    bool ok;

    load_return_path = false;
    magic = qemu_get_be32(f);
    if (stream_failed(f, errp, "stream header")) {
        return false;
    }
    if (magic != QEMU_VM_FILE_MAGIC) {
        error_setg(errp, "Not a migration stream (magic 0x%08x, expected "
                   "0x%08x)", magic, QEMU_VM_FILE_MAGIC);
        return false;
    }
    version = qemu_get_be32(f);
    if (stream_failed(f, errp, "stream header")) {
        return false;
    }
    if (version == QEMU_VM_FILE_VERSION_COMPAT) {
        error_setg(errp, "SaveVM v2 format is obsolete and not supported");
        return false;
    }
    if (version != QEMU_VM_FILE_VERSION) {
        error_setg(errp, "Unsupported migration stream version %u "
                   "(expected %u)", version, QEMU_VM_FILE_VERSION);
        return false;
    }
    b = qemu_get_byte(f);
    if (stream_failed(f, errp, "configuration")) {
        return false;
    }
    if (b != QEMU_VM_CONFIGURATION) {
        error_setg(errp, "Configuration section missing (record type 0x%02x, "
                   "expected 0x%02x)", b, QEMU_VM_CONFIGURATION);
        return false;
    }
    if (!savevm_config_load(f, errp)) {
        return false;
    }
    ok = load_setup(errp) && load_records(f, errp);
    load_cleanup();
    return ok;
}
