/*
 * x86_64 CPU set-up and trap entry points shared by the arch files.
 */
#pragma once

#include <basic_types.h>
#include <object/structures.h>

/* Task state segment (Intel SDM Vol. 3A, 7.7); no I/O bitmap. */
typedef struct {
    uint32_t reserved0;
    uint64_t rsp0;
    uint64_t rsp1;
    uint64_t rsp2;
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t ioMapBase;
} PACKED x86_tss_t;
compile_assert(tss_size, sizeof(x86_tss_t) == 104);

extern x86_tss_t x86KStss;

void x86InitCPU(void);
/* Extra bootinfo sources (extra_bootinfo.c). */
void x86RecordMemoryMapEntry(uint64_t base, uint64_t length, uint32_t type);
void x86RecordVBE(const void *controlInfo, const void *modeInfo, uint32_t mode, uint32_t seg,
                  uint32_t off, uint32_t len);
paddr_t x86FindRSDP(void);
void x86CalibrateTSC(void);
/* Drop the identity map used to enter long mode. */
void x86FinishBootMappings(void);
/* Give a new VSpace root the kernel's half of the address space. */
void x86CopyKernelMappings(uint64_t *pml4);
void x86SetKernelStack(tcb_t *tcb);
void x86FpuSave(tcb_t *tcb);
void x86FpuRestore(tcb_t *tcb);
/* Make the FPU ready for `tcb` to return to user level. */
void x86FpuPrepareReturn(tcb_t *tcb);

/* traps.S */
extern char x86_trap_stubs[];
void syscall_entry(void);
NORETURN void x86_return_to_user(word_t *context);
NORETURN void x86_idle_loop(void);
extern char kernel_stack_top[];
extern char double_fault_stack_top[];

/* c_traps.c */
NORETURN void c_handle_syscall(word_t cptr, word_t msgInfo, word_t syscall);
NORETURN void c_handle_trap(word_t vector, word_t *frame);
