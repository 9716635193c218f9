/*
 * Syscall dispatch. Every kernel entry handles exactly one event and ends
 * with schedule() and activateThread(); the arch code then returns to
 * whichever thread is current.
 */
#include <api/syscall.h>
#include <api/syscall_gen.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <machine/io.h>

void stopThreadWithReport(tcb_t *thread, const char *what)
{
    debugPrintf("kernel: thread \"%s\": %s (ip %#lx); thread stopped\n", thread->tcbName, what,
                (unsigned long)getRegister(thread, FaultIP));
    suspendThread(thread);
}

static void handleYield(void)
{
    tcbSchedDequeue(ksCurThread);
    tcbSchedAppend(ksCurThread);
    rescheduleRequired();
}

static void notImplemented(sword_t number)
{
    char what[64];
    ksnprintf(what, sizeof(what), "syscall %ld is not implemented yet", (long)number);
    stopThreadWithReport(ksCurThread, what);
}

void handleSyscall(sword_t number)
{
    switch (number) {
    case SysYield:
        handleYield();
        break;
    case SysSend:
    case SysNBSend:
    case SysCall:
    case SysRecv:
    case SysNBRecv:
    case SysReply:
    case SysReplyRecv:
        notImplemented(number);
        break;
    default:
        if (!handleDebugSyscall(number)) {
            notImplemented(number);
        }
        break;
    }
    schedule();
    activateThread();
}
