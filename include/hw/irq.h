/*
 * Interrupt lines between devices: a handler and the line number it sees.
 * A device raises or lowers its output with qemu_set_irq(); an unconnected
 * line (NULL) is ignored.
 */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include "qemu/osdep.h"

typedef void IrqHandler(void *opaque, int n, int level);

typedef struct IRQState {
    IrqHandler *handler;
    void *opaque;
    int n;
} IRQState;

typedef IRQState *qemu_irq;

static inline void qemu_set_irq(qemu_irq irq, int level)
{
    if (irq && irq->handler) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

static inline qemu_irq qemu_allocate_irq(IrqHandler *handler, void *opaque,
                                         int n)
{
    IRQState *irq = g_new0(IRQState, 1);
    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

#endif
