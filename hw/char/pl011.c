/*
 * ARM PrimeCell UART (PL011).
 *
 * Interface: one 4 KiB MMIO region (virt: 0x09000000), one interrupt output
 * (virt: SPI 1), a chardev for the host side.
 * Spec: ARM PrimeCell UART (PL011) Technical Reference Manual, ARM DDI 0183.
 *
 * Transmission is instantaneous: a byte written to UARTDR goes straight to
 * the chardev, even when the guest never enabled the UART (UARTCR.UARTEN or
 * TXE clear).  Real hardware would not send it, but QEMU does, bare-metal
 * test guests (the migration A/B guest) rely on it, and a lost console byte
 * helps nobody; it is logged as a guest error instead.
 */
#include "qemu/osdep.h"
#include "hw/char/pl011.h"
#include "chardev/char.h"
#include "qemu/log.h"

/* Register offsets (DDI 0183 3.2). */
enum {
    UARTDR = 0x00,
    UARTRSR = 0x04,
    UARTFR = 0x18,
    UARTILPR = 0x20,
    UARTIBRD = 0x24,
    UARTFBRD = 0x28,
    UARTLCR_H = 0x2c,
    UARTCR = 0x30,
    UARTIFLS = 0x34,
    UARTIMSC = 0x38,
    UARTRIS = 0x3c,
    UARTMIS = 0x40,
    UARTICR = 0x44,
    UARTDMACR = 0x48,
    UARTPERIPHID0 = 0xfe0,
};

/* UARTFR bits */
#define FR_CTS  (1 << 0)
#define FR_BUSY (1 << 3)
#define FR_RXFE (1 << 4)
#define FR_TXFF (1 << 5)
#define FR_RXFF (1 << 6)
#define FR_TXFE (1 << 7)

/* Interrupt bits (UARTRIS/UARTMIS/UARTIMSC/UARTICR) */
#define INT_RX (1 << 4)
#define INT_TX (1 << 5)
#define INT_RT (1 << 6)
#define INT_E  (0xf << 7)   /* FE, PE, BE, OE */

#define LCR_FEN (1 << 4)
#define CR_UARTEN (1 << 0)
#define CR_TXE (1 << 8)

/* Peripheral and PrimeCell identification (DDI 0183 3.3.14-15). */
static const uint8_t pl011_id[8] = {
    0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

static void pl011_update(PL011State *s)
{
    qemu_set_irq(s->irq, (s->int_level & s->int_enabled) != 0);
}

static bool pl011_fifo_enabled(const PL011State *s)
{
    return (s->lcr & LCR_FEN) != 0;
}

static int pl011_fifo_depth(const PL011State *s)
{
    return pl011_fifo_enabled(s) ? PL011_FIFO_DEPTH : 1;
}

/* Receive level at which the RX interrupt fires (UARTIFLS.RXIFLSEL). */
static void pl011_set_read_trigger(PL011State *s)
{
    static const int level[] = { 2, 4, 8, 12, 14 };
    unsigned sel = (s->ifl >> 3) & 7;

    s->read_trigger = pl011_fifo_enabled(s) && sel < ARRAY_SIZE(level) ?
                      level[sel] : 1;
}

static uint32_t pl011_read_dr(PL011State *s)
{
    uint32_t c;

    s->flags &= ~FR_RXFF;
    c = s->read_fifo[s->read_pos];
    if (s->read_count > 0) {
        s->read_count--;
        s->read_pos = (s->read_pos + 1) & (PL011_FIFO_DEPTH - 1);
    }
    if (s->read_count == 0) {
        s->flags |= FR_RXFE;
    }
    if (s->read_count == s->read_trigger - 1) {
        s->int_level &= ~INT_RX;
    }
    s->rsr = c >> 8;
    pl011_update(s);
    return c;
}

static uint64_t pl011_read(void *opaque, hwaddr offset, unsigned size)
{
    PL011State *s = opaque;

    if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 0x20) {
        return pl011_id[(offset - UARTPERIPHID0) >> 2];
    }
    switch (offset) {
    case UARTDR:
        return pl011_read_dr(s);
    case UARTRSR:
        return s->rsr;
    case UARTFR:
        return s->flags;
    case UARTILPR:
        return s->ilpr;
    case UARTIBRD:
        return s->ibrd;
    case UARTFBRD:
        return s->fbrd;
    case UARTLCR_H:
        return s->lcr;
    case UARTCR:
        return s->cr;
    case UARTIFLS:
        return s->ifl;
    case UARTIMSC:
        return s->int_enabled;
    case UARTRIS:
        return s->int_level;
    case UARTMIS:
        return s->int_level & s->int_enabled;
    case UARTDMACR:
        return s->dmacr;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "pl011: read of bad offset 0x%x\n",
                      (unsigned)offset);
        return 0;
    }
}

static void pl011_write_dr(PL011State *s, uint8_t ch)
{
    if ((s->cr & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "pl011: byte sent while UART or transmitter disabled\n");
    }
    if (s->chr) {
        qemu_chr_fe_write_all(s->chr, &ch, 1);
    }
    s->int_level |= INT_TX;
    pl011_update(s);
}

static void pl011_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
    PL011State *s = opaque;

    switch (offset) {
    case UARTDR:
        pl011_write_dr(s, value & 0xff);
        break;
    case UARTRSR:          /* UARTECR: any write clears the error bits */
        s->rsr = 0;
        break;
    case UARTFR:           /* read only */
        break;
    case UARTILPR:
        s->ilpr = value & 0xff;
        break;
    case UARTIBRD:
        s->ibrd = value & 0xffff;
        break;
    case UARTFBRD:
        s->fbrd = value & 0x3f;
        break;
    case UARTLCR_H:
        /* Toggling FEN flushes the receive FIFO (DDI 0183 3.3.7). */
        if ((s->lcr ^ value) & LCR_FEN) {
            s->read_count = 0;
            s->read_pos = 0;
            s->flags = (s->flags & ~FR_RXFF) | FR_RXFE;
        }
        s->lcr = value & 0xff;
        pl011_set_read_trigger(s);
        break;
    case UARTCR:
        s->cr = value & 0xffff;
        break;
    case UARTIFLS:
        s->ifl = value & 0x3f;
        pl011_set_read_trigger(s);
        break;
    case UARTIMSC:
        s->int_enabled = value & 0x7ff;
        pl011_update(s);
        break;
    case UARTICR:
        s->int_level &= ~value;
        pl011_update(s);
        break;
    case UARTDMACR:
        s->dmacr = value & 7;
        if (value & 3) {
            qemu_log_mask(LOG_UNIMP, "pl011: DMA is not implemented\n");
        }
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "pl011: write of bad offset 0x%x\n",
                      (unsigned)offset);
    }
}

static int pl011_can_receive(void *opaque)
{
    PL011State *s = opaque;

    return pl011_fifo_depth(s) - s->read_count;
}

static void pl011_receive(void *opaque, const uint8_t *buf, int size)
{
    PL011State *s = opaque;

    for (int i = 0; i < size && s->read_count < pl011_fifo_depth(s); i++) {
        int slot = (s->read_pos + s->read_count) & (PL011_FIFO_DEPTH - 1);
        s->read_fifo[slot] = buf[i];
        s->read_count++;
        s->flags &= ~FR_RXFE;
        if (s->read_count == pl011_fifo_depth(s)) {
            s->flags |= FR_RXFF;
        }
        if (s->read_count == s->read_trigger) {
            s->int_level |= INT_RX;
        }
    }
    pl011_update(s);
}

void pl011_reset(PL011State *s)
{
    s->readbuff = 0;
    s->lcr = 0;
    s->rsr = 0;
    s->dmacr = 0;
    s->int_enabled = 0;
    s->int_level = 0;
    s->ilpr = 0;
    s->ibrd = 0;
    s->fbrd = 0;
    s->ifl = 0x12;            /* both FIFO levels at 1/2 (DDI 0183 3.3.10) */
    s->cr = 0x300;            /* TXE and RXE set, UART disabled */
    s->flags = FR_RXFE | FR_TXFE;
    s->read_pos = 0;
    s->read_count = 0;
    memset(s->read_fifo, 0, sizeof(s->read_fifo));
    pl011_set_read_trigger(s);
    pl011_update(s);
}

static const MemoryRegionOps pl011_ops = {
    .read = pl011_read,
    .write = pl011_write,
    .min_access_size = 1,
    .max_access_size = 4,
};

PL011State *pl011_create(hwaddr base, Chardev *chr, qemu_irq irq,
                         Error **errp)
{
    PL011State *s = g_new0(PL011State, 1);

    s->chr = chr;
    s->irq = irq;
    s->iomem = memory_region_new_io("pl011", PL011_MMIO_SIZE, &pl011_ops, s);
    if (!address_space_map_region(&address_space_memory, s->iomem, base,
                                  errp)) {
        memory_region_free(s->iomem);
        g_free(s);
        return NULL;
    }
    pl011_reset(s);
    if (chr) {
        qemu_chr_fe_set_handlers(chr, pl011_can_receive, pl011_receive, NULL,
                                 s);
    }
    return s;
}

/* ---- migration state ("pl011", version 2, as QEMU's) ---- */

#include "migration/vmstate.h"

/* The FIFO indices come from the stream: validate before they index. */
static bool pl011_post_load(void *opaque, int version_id, Error **errp)
{
    PL011State *s = opaque;

    if (s->read_pos < 0 || s->read_pos >= PL011_FIFO_DEPTH ||
        s->read_count < 0 || s->read_count > PL011_FIFO_DEPTH) {
        error_setg(errp, "pl011: receive FIFO position %d / count %d out of "
                   "range (depth %d)", s->read_pos, s->read_count,
                   PL011_FIFO_DEPTH);
        return false;
    }
    if (s->read_trigger < 1 || s->read_trigger > PL011_FIFO_DEPTH) {
        error_setg(errp, "pl011: receive trigger level %d out of range",
                   s->read_trigger);
        return false;
    }
    pl011_update(s);
    return true;
}

const VMStateDescription vmstate_pl011 = {
    .name = "pl011",
    .version_id = 2,
    .minimum_version_id = 2,
    .post_load = pl011_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(readbuff, PL011State),
        VMSTATE_UINT32(flags, PL011State),
        VMSTATE_UINT32(lcr, PL011State),
        VMSTATE_UINT32(rsr, PL011State),
        VMSTATE_UINT32(cr, PL011State),
        VMSTATE_UINT32(dmacr, PL011State),
        VMSTATE_UINT32(int_enabled, PL011State),
        VMSTATE_UINT32(int_level, PL011State),
        VMSTATE_UINT32_ARRAY(read_fifo, PL011State, PL011_FIFO_DEPTH),
        VMSTATE_UINT32(ilpr, PL011State),
        VMSTATE_UINT32(ibrd, PL011State),
        VMSTATE_UINT32(fbrd, PL011State),
        VMSTATE_UINT32(ifl, PL011State),
        VMSTATE_INT32(read_pos, PL011State),
        VMSTATE_INT32(read_count, PL011State),
        VMSTATE_INT32(read_trigger, PL011State),
        VMSTATE_END_OF_LIST()
    },
};

void pl011_register_vmstate(PL011State *s)
{
    vmstate_register(NULL, 0, &vmstate_pl011, s);
}
