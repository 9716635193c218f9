/*
 * x86 I/O ports: IOPortControl_Issue hands out port ranges that do not
 * overlap any range already issued; IOPort In/Out access ports inside the
 * cap's range (semantics.md 13, seL4-abi.md 8.7).
 */
#include <api/invocation.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>

#define NUM_IO_PORTS 65536

/* Ports covered by an issued IO-port cap: one bit per port. */
static word_t x86KSIssuedIOPorts[NUM_IO_PORTS / wordBits];

static bool portIssued(word_t port)
{
    return x86KSIssuedIOPorts[port / wordBits] & BIT(port % wordBits);
}

static void setPortRange(word_t first, word_t last, bool issued)
{
    for (word_t p = first; p <= last; p++) {
        if (issued) {
            x86KSIssuedIOPorts[p / wordBits] |= BIT(p % wordBits);
        } else {
            x86KSIssuedIOPorts[p / wordBits] &= ~BIT(p % wordBits);
        }
    }
}

void x86FreeIOPortRange(cap_t cap)
{
    setPortRange(cap_io_port_cap_get_capIOPortFirstPort(cap),
                 cap_io_port_cap_get_capIOPortLastPort(cap), false);
}

static exception_t decodeIssue(const invocation_t *inv)
{
    if (inv->label != X86IOPortControlIssue) {
        userError("IOPortControl: label %lu is not Issue", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
    if (inv->length < X86IOPortControlIssue_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("IOPortControl Issue: needs first, last, index, depth and a root CNode");
        return syscallError(seL4_TruncatedMessage);
    }
    struct X86IOPortControlIssue_args a = unpackX86IOPortControlIssueArgs(inv->buffer);
    if (a.last_port < a.first_port) {
        userError("IOPortControl Issue: last port %#lx below first %#lx",
                  (unsigned long)a.last_port, (unsigned long)a.first_port);
        return syscallErrorInvalidArgument(1);
    }
    for (word_t p = a.first_port; p <= a.last_port; p++) {
        if (portIssued(p)) {
            userError("IOPortControl Issue: port %#lx is already issued", (unsigned long)p);
            return syscallError(seL4_RevokeFirst);
        }
    }
    lookupSlot_ret_t dest = lookupSlotForCNodeOp(false, ksCurExtraCaps[0]->cap, a.index, a.depth);
    if (dest.status != EXCEPTION_NONE) {
        userError("IOPortControl Issue: destination lookup failed");
        return dest.status;
    }
    if (cap_get_capType(dest.slot->cap) != cap_null_cap) {
        userError("IOPortControl Issue: destination slot is not empty");
        return syscallError(seL4_DeleteFirst);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    setPortRange(a.first_port, a.last_port, true);
    cteInsert(cap_io_port_cap_new(a.first_port, a.last_port), inv->slot, dest.slot);
    return EXCEPTION_NONE;
}

/* The port and the access width of an In/Out label. */
static bool portInRange(cap_t cap, word_t port, word_t bytes)
{
    return port >= cap_io_port_cap_get_capIOPortFirstPort(cap) &&
           port + bytes - 1 <= cap_io_port_cap_get_capIOPortLastPort(cap);
}

static exception_t decodeIn(const invocation_t *inv, word_t bytes)
{
    if (inv->length < X86IOPortIn8_MinLength) {
        userError("IOPort In: no port");
        return syscallError(seL4_TruncatedMessage);
    }
    word_t port = unpackX86IOPortIn8Args(inv->buffer).port;
    if (!portInRange(inv->cap, port, bytes)) {
        userError("IOPort In: port %#lx (%lu bytes) is outside the cap's range",
                  (unsigned long)port, (unsigned long)bytes);
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    word_t value = bytes == 1   ? in8((uint16_t)port)
                   : bytes == 2 ? in16((uint16_t)port)
                                : in32((uint16_t)port);
    if (inv->call) {
        tcb_t *cur = ksCurThread;
        setMR(cur, NULL, 0, value);
        setRegister(cur, badgeRegister, 0);
        setMessageInfo(cur, 0, 1);
    }
    setThreadState(ksCurThread, ThreadState_Running);
    return EXCEPTION_NONE;
}

static exception_t decodeOut(const invocation_t *inv, word_t bytes)
{
    if (inv->length < X86IOPortOut8_MinLength) {
        userError("IOPort Out: needs a port and a value");
        return syscallError(seL4_TruncatedMessage);
    }
    struct X86IOPortOut8_args a = unpackX86IOPortOut8Args(inv->buffer);
    word_t data = a.data;
    a.port &= 0xffff; /* port numbers are 16 bits (seL4-abi.md 8.7) */
    if (!portInRange(inv->cap, a.port, bytes)) {
        userError("IOPort Out: port %#lx (%lu bytes) is outside the cap's range",
                  (unsigned long)a.port, (unsigned long)bytes);
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    if (bytes == 1) {
        out8((uint16_t)a.port, (uint8_t)data);
    } else if (bytes == 2) {
        out16((uint16_t)a.port, (uint16_t)data);
    } else {
        out32((uint16_t)a.port, (uint32_t)data);
    }
    return EXCEPTION_NONE;
}

exception_t decodeX86IOPortInvocation(const invocation_t *inv)
{
    if (cap_get_capType(inv->cap) == cap_io_port_control_cap) {
        return decodeIssue(inv);
    }
    switch (inv->label) {
    case X86IOPortIn8:
        return decodeIn(inv, 1);
    case X86IOPortIn16:
        return decodeIn(inv, 2);
    case X86IOPortIn32:
        return decodeIn(inv, 4);
    case X86IOPortOut8:
        return decodeOut(inv, 1);
    case X86IOPortOut16:
        return decodeOut(inv, 2);
    case X86IOPortOut32:
        return decodeOut(inv, 4);
    default:
        userError("IOPort: label %lu is not an IOPort method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
}
