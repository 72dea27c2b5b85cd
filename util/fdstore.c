/*
 * Named file descriptor store for QMP getfd/closefd (include/qemu/fdstore.h).
 *
 * QEMU keeps such fds per monitor; one process-wide table is enough here
 * because the names come from the one management tool driving us.  The
 * table is bounded so a client looping on getfd cannot exhaust our fds.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include "qemu/fdstore.h"

#define FDSTORE_MAX_NAME 127

static GHashTable *fdstore;   /* name -> GINT_TO_POINTER(fd) */

static void fdstore_close_value(gpointer value)
{
    close(GPOINTER_TO_INT(value));
}

static GHashTable *fdstore_table(void)
{
    if (!fdstore) {
        fdstore = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        fdstore_close_value);
    }
    return fdstore;
}

bool fdstore_add(const char *name, int fd, Error **errp)
{
    GHashTable *t = fdstore_table();

    if (!name || !*name || strlen(name) > FDSTORE_MAX_NAME) {
        error_setg(errp, "Invalid fd name (1 to %d characters)",
                   FDSTORE_MAX_NAME);
        return false;
    }
    /* QEMU refuses names starting with a digit: they look like fd numbers. */
    if (g_ascii_isdigit(name[0])) {
        error_setg(errp, "Parameter 'fdname' expects a name not starting "
                   "with a digit");
        return false;
    }
    if (fd < 0) {
        error_setg(errp, "Invalid file descriptor for '%s'", name);
        return false;
    }
    if (!g_hash_table_contains(t, name) &&
        g_hash_table_size(t) >= FDSTORE_MAX_FDS) {
        error_setg(errp, "Too many named file descriptors (limit %d)",
                   FDSTORE_MAX_FDS);
        return false;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    g_hash_table_replace(t, g_strdup(name), GINT_TO_POINTER(fd));
    return true;
}

int fdstore_take(const char *name)
{
    gpointer value;

    if (!fdstore || !name ||
        !g_hash_table_lookup_extended(fdstore, name, NULL, &value)) {
        return -1;
    }
    return fcntl(GPOINTER_TO_INT(value), F_DUPFD_CLOEXEC, 0);
}

bool fdstore_close(const char *name, Error **errp)
{
    if (!fdstore || !name || !g_hash_table_remove(fdstore, name)) {
        error_setg(errp, "File descriptor named '%s' not found",
                   name ? name : "");
        return false;
    }
    return true;
}

void fdstore_clear(void)
{
    if (fdstore) {
        g_hash_table_destroy(fdstore);
        fdstore = NULL;
    }
}
