/*
 * QEMU virt console: the PL011 UART at 0x09000000, polled, transmit only.
 * QEMU ignores the baud rate, so only the enables are set.
 */
#include <arch/machine.h>
#include <machine/io.h>
#include <plat/platform.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_CR 0x30
#define UART_IMSC 0x38
#define FR_TXFF BIT(5)
#define CR_UARTEN BIT(0)
#define CR_TXE BIT(8)

static pptr_t uartBase(void)
{
    return ptrFromPaddr(PLAT_UART_PADDR);
}

BOOT_CODE void platInitConsole(void)
{
    mmioWrite32(uartBase() + UART_IMSC, 0);
    mmioWrite32(uartBase() + UART_CR, CR_UARTEN | CR_TXE);
}

void putConsoleChar(unsigned char c)
{
    if (c == '\n') {
        putConsoleChar('\r');
    }
    while (mmioRead32(uartBase() + UART_FR) & FR_TXFF) {
    }
    mmioWrite32(uartBase() + UART_DR, c);
}
