/*
 * PC platform console and machine stop: a 16550 UART on COM1 (115200 8N1,
 * polled) and QEMU's isa-debug-exit device for the exit status.
 */
#include <arch/machine.h>
#include <kernel/arch_hooks.h>
#include <machine/io.h>
#include <plat/pc99.h>

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THR_EMPTY 0x20

BOOT_CODE void pc99InitSerial(void)
{
    out8(COM1 + UART_IER, 0x00);
    out8(COM1 + UART_LCR, 0x80); /* divisor latch */
    out8(COM1 + 0, 0x01);        /* 115200 baud */
    out8(COM1 + 1, 0x00);
    out8(COM1 + UART_LCR, 0x03); /* 8N1 */
    out8(COM1 + UART_FCR, 0xc7);
    out8(COM1 + UART_MCR, 0x0b);
}

void putConsoleChar(unsigned char c)
{
    while (!(in8(COM1 + UART_LSR) & LSR_THR_EMPTY)) {
    }
    out8(COM1 + UART_THR, c);
}

/* isa-debug-exit (iobase 0xf4): QEMU exits with status (value << 1) | 1.
 * A requested halt exits 33, a panic 3. On a PC without the device the
 * write is ignored and the CPU stops. */
NORETURN void Arch_halt(bool success)
{
    out8(PC99_DEBUG_EXIT_PORT, success ? PC99_DEBUG_EXIT_HALT : PC99_DEBUG_EXIT_PANIC);
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}
