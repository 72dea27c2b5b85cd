/*
 * Locating tests/data from a unit test: $ARMVM_TEST_DATA if set, else
 * tests/data next to this source file (__FILE__ is relative to the build
 * directory, where meson runs the tests, or absolute), else tests/data
 * under the current directory (running a test by hand from the tree).
 */
#ifndef TEST_CPREGS_DATA_H
#define TEST_CPREGS_DATA_H

#include "qemu/osdep.h"

static inline gchar *test_data_path(const char *rel)
{
    const char *env = getenv("ARMVM_TEST_DATA");
    gchar *dir, *base, *path;

    if (env) {
        return g_build_filename(env, rel, NULL);
    }
    dir = g_path_get_dirname(__FILE__);
    base = g_build_filename(dir, "..", "data", NULL);
    g_free(dir);
    if (!g_file_test(base, G_FILE_TEST_IS_DIR)) {
        g_free(base);
        base = g_strdup("tests/data");
    }
    path = g_build_filename(base, rel, NULL);
    g_free(base);
    return path;
}

#endif
