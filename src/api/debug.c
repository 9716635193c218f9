/*
 * The debug syscalls (semantics.md 12): console output, scheduler dump,
 * halt, cap identification and thread names. Each exists only in the
 * configurations the ABI names for it.
 */
#include <api/syscall.h>
#include <api/syscall_gen.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <machine/io.h>

#ifdef CONFIG_DEBUG_BUILD
static NORETURN void haltWithMessage(const char *call, const char *why)
{
    kprintf("%s: %s, halting\n", call, why);
    Arch_halt(false);
}

static void debugCapIdentify(tcb_t *cur)
{
    lookupCap_ret_t r = lookupCap(cur, getRegister(cur, capRegister));
    word_t type = r.status == EXCEPTION_NONE ? cap_get_capType(r.cap) : cap_null_cap;
    setRegister(cur, capRegister, type);
}

static void debugNameThread(tcb_t *cur)
{
    lookupCap_ret_t r = lookupCap(cur, getRegister(cur, capRegister));
    if (r.status != EXCEPTION_NONE || cap_get_capType(r.cap) != cap_thread_cap) {
        haltWithMessage("SysDebugNameThread", "cap is not a TCB");
    }
    word_t *buffer = Arch_lookupIPCBuffer(true, cur);
    if (buffer == NULL) {
        haltWithMessage("SysDebugNameThread", "caller has no writable IPC buffer");
    }
    const char *name = (const char *)(buffer + 1);
    size_t max = seL4_MsgMaxLength * sizeof(word_t);
    if (strnlen(name, max) == max) {
        haltWithMessage("SysDebugNameThread", "name is not NUL-terminated");
    }
    setThreadName(tcbFromCap(r.cap), name);
}

#endif /* CONFIG_DEBUG_BUILD */

#ifdef CONFIG_PRINTING
static void debugDumpScheduler(void)
{
    kprintf("Dumping all tcbs!\n");
    kprintf("%-24s %-18s %-18s %s\n", "Name", "State", "IP", "Prio");
    for (tcb_t *t = ksDebugTCBs; t; t = t->tcbDebugNext) {
        kprintf("%-24s %-18s %#018lx %lu\n", t->tcbName, threadStateName(thread_state_type(t)),
                (unsigned long)getRegister(t, FaultIP), (unsigned long)t->tcbPriority);
    }
}

#endif /* CONFIG_PRINTING */

/* Debug syscalls return straight to the caller (semantics.md 12).
 * Returns false for a number that is not a configured debug syscall. */
bool handleDebugSyscall(sword_t number)
{
    tcb_t *cur = ksCurThread;
    switch (number) {
#ifdef CONFIG_PRINTING
    case SysDebugPutChar:
        putConsoleChar((unsigned char)getRegister(cur, capRegister));
        return true;
    case SysDebugDumpScheduler:
        debugDumpScheduler();
        return true;
#endif
#ifdef CONFIG_DEBUG_BUILD
    case SysDebugHalt:
        kprintf("Debug halt syscall from user thread %p \"%s\"\n", (void *)cur, cur->tcbName);
        Arch_halt(true);
    case SysDebugCapIdentify:
        debugCapIdentify(cur);
        return true;
    case SysDebugSnapshot:
        return true;
    case SysDebugNameThread:
        debugNameThread(cur);
        return true;
#endif
#ifdef CONFIG_SET_TLS_BASE_SELF
    case SysSetTLSBase:
        Arch_setTLSBase(cur, getRegister(cur, capRegister));
        return true;
#endif
    default:
        return false;
    }
}
