/*
 * qemu-system-aarch64 / qemu-system-arm entry point.
 */
#include "qemu/osdep.h"
#include "system/vl.h"

int main(int argc, char **argv)
{
    VlConfig cfg;
    Error *err = NULL;
    int status;

    error_set_progname(argv[0]);
    vl_config_init(&cfg);
    if (!vl_parse_args(argc, argv, &cfg, &err)) {
        error_report_err(err);
        return 1;
    }
    status = vl_run(&cfg);
    vl_config_free(&cfg);
    return status;
}
