/*
 * IOAPICs of a PC: located through the ACPI RSDT/XSDT and the MADT, all
 * pins masked at boot, then routed one by one for IRQControl_GetIOAPIC.
 * Each redirection entry is written through IOREGSEL/IOWIN.
 */
#include <arch/machine.h>
#include <machine/io.h>
#include <object/structures.h>
#include <plat/ioapic.h>

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIR(pin) (0x10 + 2 * (pin))
#define MADT_IOAPIC 1

typedef struct {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oemId[6];
    char oemTableId[8];
    uint32_t oemRevision;
    uint32_t creatorId;
    uint32_t creatorRevision;
} PACKED acpi_header_t;

/* Every IOAPIC: its registers and how many pins it has. */
static struct {
    paddr_t base;
    word_t pins;
} x86KSIOAPICs[MAX_IOAPICS];
static word_t x86KSNumIOAPICs;
/* The last value written to every redirection entry. */
static ioapic_redirection_t x86KSIOAPICRedir[MAX_IOAPICS][24];

static uint32_t ioapicRead(word_t ioapic, uint32_t reg)
{
    volatile uint32_t *base = (volatile uint32_t *)ptrFromPaddr(x86KSIOAPICs[ioapic].base);
    base[IOAPIC_REGSEL / 4] = reg;
    return base[IOAPIC_WIN / 4];
}

static void ioapicWrite(word_t ioapic, uint32_t reg, uint32_t v)
{
    volatile uint32_t *base = (volatile uint32_t *)ptrFromPaddr(x86KSIOAPICs[ioapic].base);
    base[IOAPIC_REGSEL / 4] = reg;
    base[IOAPIC_WIN / 4] = v;
}

static void writeRedirection(word_t ioapic, word_t pin, ioapic_redirection_t r)
{
    x86KSIOAPICRedir[ioapic][pin] = r;
    /* High word first, so the entry is complete when the mask bit changes. */
    ioapicWrite(ioapic, IOAPIC_REDIR(pin) + 1, (uint32_t)(r.words[0] >> 32));
    ioapicWrite(ioapic, IOAPIC_REDIR(pin), (uint32_t)r.words[0]);
}

static const acpi_header_t *findTable(paddr_t rsdp, const char *sig)
{
    const uint8_t *r = (const uint8_t *)ptrFromPaddr(rsdp);
    bool xsdt = r[15] >= 2 && *(const uint64_t *)(r + 24) != 0;
    paddr_t root = xsdt ? *(const uint64_t *)(r + 24) : *(const uint32_t *)(r + 16);
    const acpi_header_t *h = (const acpi_header_t *)ptrFromPaddr(root);
    word_t entrySize = xsdt ? 8 : 4;
    word_t n = (h->length - sizeof(*h)) / entrySize;
    const uint8_t *entries = (const uint8_t *)(h + 1);
    for (word_t i = 0; i < n; i++) {
        paddr_t p =
            xsdt ? *(const uint64_t *)(entries + i * 8) : *(const uint32_t *)(entries + i * 4);
        const acpi_header_t *t = (const acpi_header_t *)ptrFromPaddr(p);
        if (memcmp(t->signature, sig, 4) == 0) {
            return t;
        }
    }
    return NULL;
}

BOOT_CODE void ioapicInit(paddr_t rsdp)
{
    const acpi_header_t *madt = rsdp ? findTable(rsdp, "APIC") : NULL;
    if (madt == NULL) {
        kprintf("IOAPIC: no ACPI MADT; device interrupts are unavailable\n");
        return;
    }
    const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8;
    const uint8_t *end = (const uint8_t *)madt + madt->length;
    while (p + 2 <= end && p[1] >= 2) {
        if (p[0] == MADT_IOAPIC && x86KSNumIOAPICs < MAX_IOAPICS) {
            word_t i = x86KSNumIOAPICs++;
            x86KSIOAPICs[i].base = *(const uint32_t *)(p + 4);
            word_t pins = ((ioapicRead(i, IOAPIC_VERSION) >> 16) & 0xff) + 1;
            x86KSIOAPICs[i].pins = MIN(pins, (word_t)24);
            for (word_t pin = 0; pin < x86KSIOAPICs[i].pins; pin++) {
                writeRedirection(i, pin, ioapic_redirection_new(0, 1, 0, 0, 0, 0, 0, 0, 0));
            }
            kprintf("IOAPIC %lu at %#lx: %lu pins, all masked\n", (unsigned long)i,
                    (unsigned long)x86KSIOAPICs[i].base, (unsigned long)x86KSIOAPICs[i].pins);
        }
        p += p[1];
    }
}

word_t ioapicCount(void)
{
    return x86KSNumIOAPICs;
}

word_t ioapicPins(word_t ioapic)
{
    return x86KSIOAPICs[ioapic].pins;
}

void ioapicMapPin(word_t ioapic, word_t pin, bool level, bool lowActive, word_t vector, bool masked)
{
    writeRedirection(ioapic, pin,
                     ioapic_redirection_new(0, masked, level, 0, lowActive, 0, 0, 0, vector));
}

void ioapicSetMask(word_t ioapic, word_t pin, bool masked)
{
    ioapic_redirection_t r = ioapic_redirection_set_masked(x86KSIOAPICRedir[ioapic][pin], masked);
    writeRedirection(ioapic, pin, r);
}
