/*
 * ARM PrimeCell UART (PL011), ARM DDI 0183.
 */
#ifndef HW_CHAR_PL011_H
#define HW_CHAR_PL011_H

#include "qemu/osdep.h"
#include "system/memory.h"
#include "hw/irq.h"

typedef struct Chardev Chardev;

#define PL011_FIFO_DEPTH 16
#define PL011_MMIO_SIZE  0x1000

/* Field names follow QEMU's pl011 state so the "pl011" section matches. */
typedef struct PL011State {
    MemoryRegion *iomem;
    uint32_t readbuff;
    uint32_t flags;          /* UARTFR */
    uint32_t lcr;            /* UARTLCR_H */
    uint32_t rsr;            /* UARTRSR */
    uint32_t cr;             /* UARTCR */
    uint32_t dmacr;
    uint32_t int_enabled;    /* UARTIMSC */
    uint32_t int_level;      /* UARTRIS */
    uint32_t read_fifo[PL011_FIFO_DEPTH];
    uint32_t ilpr;
    uint32_t ibrd;
    uint32_t fbrd;
    uint32_t ifl;
    int32_t read_pos;
    int32_t read_count;
    int32_t read_trigger;
    Chardev *chr;
    qemu_irq irq;
} PL011State;

PL011State *pl011_create(hwaddr base, Chardev *chr, qemu_irq irq,
                         Error **errp);
void pl011_reset(PL011State *s);
/* The "pl011" section (QEMU's layout, version 2). */
typedef struct VMStateDescription VMStateDescription;
extern const VMStateDescription vmstate_pl011;
/* Register the "pl011" migration section (instance 0). */
void pl011_register_vmstate(PL011State *s);

#endif
