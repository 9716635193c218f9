/*
 * The PIT as a boot-time reference clock: channel 2 in one-shot mode,
 * started through its gate (port 0x61 bit 0), done when its output
 * (port 0x61 bit 5) goes high.
 */
#include <arch/machine.h>
#include <plat/pit.h>

#define PIT_HZ 1193182u

static BOOT_CODE void pitStart(void)
{
    uint16_t count = (uint16_t)((uint64_t)PIT_HZ * PIT_CALIBRATE_MS / 1000u);
    out8(0x61, (uint8_t)(in8(0x61) & ~0x03));
    out8(0x43, 0xb0); /* channel 2, lobyte/hibyte, mode 0 */
    out8(0x42, (uint8_t)(count & 0xff));
    out8(0x42, (uint8_t)(count >> 8));
    out8(0x61, (uint8_t)(in8(0x61) | 0x01));
}

static BOOT_CODE bool pitDone(void)
{
    return in8(0x61) & 0x20;
}

BOOT_CODE uint64_t pitMeasure(uint64_t (*read)(void), unsigned rounds)
{
    uint64_t best = ~(uint64_t)0;
    for (unsigned i = 0; i < rounds; i++) {
        pitStart();
        uint64_t start = read();
        while (!pitDone()) {
        }
        uint64_t ticks = read() - start;
        best = ticks < best ? ticks : best;
    }
    return best;
}
