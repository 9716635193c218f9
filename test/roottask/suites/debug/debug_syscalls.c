/*
 * The debug syscalls available in the foundation kernel.
 */
#include "../../framework/test.h"
#include "../captypes.h"

TEST(debug_cap_identify_fixed_slots)
{
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapNull), CT_NULL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadTCB), CT_THREAD);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadCNode), CT_CNODE);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadVSpace), CT_VSPACE);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapIRQControl), CT_IRQ_CONTROL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapASIDControl), CT_ASID_CONTROL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadASIDPool), CT_ASID_POOL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapBootInfoFrame), CT_FRAME);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadIPCBuffer), CT_FRAME);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapDomain), CT_DOMAIN);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadSC), CT_NULL);
}

TEST(debug_cap_identify_out_of_range)
{
    /* The root CNode resolves exactly 64 bits: any CPtr names one slot.
     * A slot beyond the CNode's radix fails the guard: type 0. */
    CHECK_EQ(seL4_DebugCapIdentify(1ul << CONFIG_ROOT_CNODE_SIZE_BITS), CT_NULL);
    CHECK_EQ(seL4_DebugCapIdentify(~0ul), CT_NULL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_GetBootInfo()->empty.start), CT_NULL);
}

TEST(debug_name_thread_returns)
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "roottask-tests");
    /* The name is read from the IPC buffer: it must not disturb MR4+. */
    seL4_SetMR(20, 0xabcdef);
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "roottask-tests");
    CHECK_EQ(seL4_GetMR(20), 0xabcdef);
}

TEST(debug_snapshot_returns)
{
    seL4_DebugSnapshot();
    CHECK_TRUE(1);
}

TEST(yield_returns_to_sole_thread)
{
    volatile seL4_Word counter = 0;
    for (int i = 0; i < 100; i++) {
        seL4_Yield();
        counter++;
    }
    CHECK_EQ(counter, 100);
}

TEST(ipc_buffer_is_writable)
{
    seL4_IPCBuffer *buf = seL4_GetIPCBuffer();
    CHECK_EQ((seL4_Word)buf % 1024, 0);
    for (seL4_Word i = 4; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, i * 3 + 1);
    }
    for (seL4_Word i = 4; i < seL4_MsgMaxLength; i++) {
        if (!CHECK_EQ(buf->msg[i], i * 3 + 1)) {
            break;
        }
    }
    buf->userData = 77;
    CHECK_EQ(seL4_GetUserData(), 77);
}
