"""Numbers typed in from /work/shared/reference/seL4-abi.md.

These are the expected values; the tests never derive them from the XML.
Section numbers refer to the ABI sheet.
"""

# §1.1 - every syscall, including the ones absent from the target builds.
SYSCALLS = {
    "seL4_SysCall": -1,
    "seL4_SysReplyRecv": -2,
    "seL4_SysSend": -3,
    "seL4_SysNBSend": -4,
    "seL4_SysRecv": -5,
    "seL4_SysReply": -6,
    "seL4_SysYield": -7,
    "seL4_SysNBRecv": -8,
    "seL4_SysDebugPutChar": -9,
    "seL4_SysDebugDumpScheduler": -10,
    "seL4_SysDebugHalt": -11,
    "seL4_SysDebugCapIdentify": -12,
    "seL4_SysDebugSnapshot": -13,
    "seL4_SysDebugNameThread": -14,
    "seL4_SysDebugSendIPI": -15,
    "seL4_SysDebugGetThreadAffinity": -16,
    "seL4_SysDebugRun": -17,
    "seL4_SysBenchmarkFlushCaches": -18,
    "seL4_SysBenchmarkResetLog": -19,
    "seL4_SysBenchmarkFinalizeLog": -20,
    "seL4_SysBenchmarkSetLogBuffer": -21,
    "seL4_SysBenchmarkNullSyscall": -22,
    "seL4_SysBenchmarkGetThreadUtilisation": -23,
    "seL4_SysBenchmarkResetThreadUtilisation": -24,
    "seL4_SysBenchmarkDumpAllThreadsUtilisation": -25,
    "seL4_SysBenchmarkResetAllThreadsUtilisation": -26,
    "seL4_SysX86DangerousWRMSR": -27,
    "seL4_SysX86DangerousRDMSR": -28,
    "seL4_SysVMEnter": -29,
    "seL4_SysSetTLSBase": -30,
}

# §0 / §1.1: which of them exist in the target debug builds.
SYSCALLS_PRESENT_X86_64 = {n for n, v in SYSCALLS.items() if v >= -14} | {"seL4_SysSetTLSBase"}
SYSCALLS_PRESENT_AARCH64 = {n for n, v in SYSCALLS.items() if v >= -14}

# §1.1: kernel assembler names of the API syscalls.
SYSCALL_ASM = {
    "SYSCALL_CALL": -1,
    "SYSCALL_REPLY_RECV": -2,
    "SYSCALL_SEND": -3,
    "SYSCALL_NB_SEND": -4,
    "SYSCALL_RECV": -5,
    "SYSCALL_REPLY": -6,
    "SYSCALL_YIELD": -7,
    "SYSCALL_NB_RECV": -8,
}
SYSCALL_MIN = -8
SYSCALL_MAX = -1

# §1.2: the MCS list.
SYSCALLS_MCS = {
    "seL4_SysCall": -1, "seL4_SysReplyRecv": -2, "seL4_SysNBSendRecv": -3,
    "seL4_SysNBSendWait": -4, "seL4_SysSend": -5, "seL4_SysNBSend": -6,
    "seL4_SysRecv": -7, "seL4_SysNBRecv": -8, "seL4_SysWait": -9,
    "seL4_SysNBWait": -10, "seL4_SysYield": -11,
    "seL4_SysDebugPutChar": -12, "seL4_SysSetTLSBase": -33,
}

# §7.2 - generic labels, both architectures.
GENERIC_LABELS = {
    "InvalidInvocation": 0,
    "UntypedRetype": 1,
    "TCBReadRegisters": 2,
    "TCBWriteRegisters": 3,
    "TCBCopyRegisters": 4,
    "TCBConfigure": 5,
    "TCBSetPriority": 6,
    "TCBSetMCPriority": 7,
    "TCBSetSchedParams": 8,
    "TCBSetIPCBuffer": 9,
    "TCBSetSpace": 10,
    "TCBSuspend": 11,
    "TCBResume": 12,
    "TCBBindNotification": 13,
    "TCBUnbindNotification": 14,
    "TCBSetTLSBase": 15,
    "TCBSetFlags": 16,
    "CNodeRevoke": 17,
    "CNodeDelete": 18,
    "CNodeCancelBadgedSends": 19,
    "CNodeCopy": 20,
    "CNodeMint": 21,
    "CNodeMove": 22,
    "CNodeMutate": 23,
    "CNodeRotate": 24,
    "CNodeSaveCaller": 25,
    "IRQIssueIRQHandler": 26,
    "IRQAckIRQ": 27,
    "IRQSetIRQHandler": 28,
    "IRQClearIRQHandler": 29,
    "DomainSetSet": 30,
    "DomainScheduleConfigure": 31,
    "DomainScheduleSetStart": 32,
    "nInvocationLabels": 33,
}

# §7.3 - x86_64, IOMMU off, VTX off.
X86_64_LABELS = {
    "X86PDPTMap": 33,
    "X86PDPTUnmap": 34,
    "nSeL4ArchInvocationLabels": 35,
    "X86PageDirectoryMap": 35,
    "X86PageDirectoryUnmap": 36,
    "X86PageTableMap": 37,
    "X86PageTableUnmap": 38,
    "X86PageMap": 39,
    "X86PageUnmap": 40,
    "X86PageGetAddress": 41,
    "X86ASIDControlMakePool": 42,
    "X86ASIDPoolAssign": 43,
    "X86IOPortControlIssue": 44,
    "X86IOPortIn8": 45,
    "X86IOPortIn16": 46,
    "X86IOPortIn32": 47,
    "X86IOPortOut8": 48,
    "X86IOPortOut16": 49,
    "X86IOPortOut32": 50,
    "X86IRQIssueIRQHandlerIOAPIC": 51,
    "X86IRQIssueIRQHandlerMSI": 52,
    "nArchInvocationLabels": 53,
}

# §7.3 - the CONFIG_IOMMU variant (pc99 upstream default).
X86_64_LABELS_IOMMU = {
    "X86PDPTMap": 33,
    "X86PDPTUnmap": 34,
    "X86PageDirectoryMap": 35,
    "X86PageDirectoryUnmap": 36,
    "X86PageTableMap": 37,
    "X86PageTableUnmap": 38,
    "X86IOPageTableMap": 39,
    "X86IOPageTableUnmap": 40,
    "X86PageMap": 41,
    "X86PageUnmap": 42,
    "X86PageMapIO": 43,
    "X86PageGetAddress": 44,
    "X86ASIDControlMakePool": 45,
    "X86ASIDPoolAssign": 46,
    "X86IOPortControlIssue": 47,
    "X86IOPortIn8": 48,
    "X86IOPortIn16": 49,
    "X86IOPortIn32": 50,
    "X86IOPortOut8": 51,
    "X86IOPortOut16": 52,
    "X86IOPortOut32": 53,
    "X86IRQIssueIRQHandlerIOAPIC": 54,
    "X86IRQIssueIRQHandlerMSI": 55,
}

# §7.4 - AArch64, no hyp, no SMMU, uniprocessor.
AARCH64_LABELS = {
    "ARMVSpaceClean_Data": 33,
    "ARMVSpaceInvalidate_Data": 34,
    "ARMVSpaceCleanInvalidate_Data": 35,
    "ARMVSpaceUnify_Instruction": 36,
    "ARMSMCCall": 37,
    "nSeL4ArchInvocationLabels": 38,  # §7.1: the arch enum starts here
    "ARMPageTableMap": 38,
    "ARMPageDirectoryMap": 38,
    "ARMPageTableUnmap": 39,
    "ARMPageDirectoryUnmap": 39,
    "ARMPageMap": 40,
    "ARMPageUnmap": 41,
    "ARMPageClean_Data": 42,
    "ARMPageInvalidate_Data": 43,
    "ARMPageCleanInvalidate_Data": 44,
    "ARMPageUnify_Instruction": 45,
    "ARMPageGetAddress": 46,
    "ARMASIDControlMakePool": 47,
    "ARMASIDPoolAssign": 48,
    "ARMIRQIssueIRQHandlerTrigger": 49,
    "ARMIRQIssueSGISignal": 50,
    "nArchInvocationLabels": 51,
}

# §7.3 (last paragraph) - CONFIG_HARDWARE_DEBUG_API: four TCB labels at 15..18,
# everything from TCBSetTLSBase on moves up by 4.
HWDEBUG_NEW = {
    "TCBSetBreakpoint": 15,
    "TCBGetBreakpoint": 16,
    "TCBUnsetBreakpoint": 17,
    "TCBConfigureSingleStepping": 18,
}
HWDEBUG_SHIFT = 4
HWDEBUG_FIRST_SHIFTED = 15      # TCBSetTLSBase's old value

# §6.1 - x86_64 object types (HUGE_PAGE on, IOMMU off, VTX off).
X86_64_OBJECTS = {
    "seL4_UntypedObject": 0,
    "seL4_TCBObject": 1,
    "seL4_EndpointObject": 2,
    "seL4_NotificationObject": 3,
    "seL4_CapTableObject": 4,
    "seL4_NonArchObjectTypeCount": 5,
    "seL4_X86_PDPTObject": 5,
    "seL4_IA32_PDPTObject": 5,
    "seL4_X64_PML4Object": 6,
    "seL4_X64_HugePageObject": 7,
    "seL4_ModeObjectTypeCount": 8,  # §6: the arch enum starts at the mode count
    "seL4_X86_4K": 8,
    "seL4_X86_LargePageObject": 9,
    "seL4_X86_PageTableObject": 10,
    "seL4_X86_PageDirectoryObject": 11,
    "seL4_ObjectTypeCount": 12,
    # placeholders of disabled types
    "seL4_X86_IOPageTableObject": 0xffffff,
    "seL4_X86_VCPUObject": 0xfffffe,
    "seL4_X86_EPTPML4Object": 0xfffffd,
    "seL4_X86_EPTPDPTObject": 0xfffffc,
    "seL4_X86_EPTPDObject": 0xfffffb,
    "seL4_X86_EPTPTObject": 0xfffffa,
}

# §6.1 variants.
X86_64_OBJECTS_IOMMU = {"seL4_X86_IOPageTableObject": 12, "seL4_ObjectTypeCount": 13}
X86_64_OBJECTS_NO_HUGE_PAGE = {
    "seL4_X64_HugePageObject": 0xfffffffe,
    "seL4_X86_4K": 7,
    "seL4_X86_LargePageObject": 8,
    "seL4_X86_PageTableObject": 9,
    "seL4_X86_PageDirectoryObject": 10,
}

# §6.2 - AArch64 object types.
AARCH64_OBJECTS = {
    "seL4_UntypedObject": 0,
    "seL4_TCBObject": 1,
    "seL4_EndpointObject": 2,
    "seL4_NotificationObject": 3,
    "seL4_CapTableObject": 4,
    "seL4_NonArchObjectTypeCount": 5,
    "seL4_ARM_HugePageObject": 5,
    "seL4_ARM_VSpaceObject": 6,
    "seL4_ARM_PageGlobalDirectoryObject": 6,
    "seL4_ModeObjectTypeCount": 7,  # §6: the arch enum starts at the mode count
    "seL4_ARM_SmallPageObject": 7,
    "seL4_ARM_LargePageObject": 8,
    "seL4_ARM_PageTableObject": 9,
    "seL4_ARM_PageDirectoryObject": 9,
    "seL4_ARM_PageUpperDirectoryObject": 9,
    "seL4_ObjectTypeCount": 10,
    "seL4_ARM_VCPUObject": 0xfffe,
    "seL4_ARM_IOPageTableObject": 0xffff,
}

# §8: message layouts.  data: param -> (MR, first bit, width); caps: param ->
# extra-cap index; length: number of data words.  W = a full 64-bit word.
W = 64
MARSHALLING = {
    # (arch or None for both, label): spec
    (None, "UntypedRetype"): dict(
        data={"type": (0, 0, W), "size_bits": (1, 0, W), "node_index": (2, 0, W),
              "node_depth": (3, 0, W), "node_offset": (4, 0, W), "num_objects": (5, 0, W)},
        caps={"root": 0}, length=6),
    (None, "TCBReadRegisters"): dict(
        data={"suspend_source": (0, 0, 1), "arch_flags": (0, 8, 8), "count": (1, 0, W)},
        caps={}, length=2),
    (None, "TCBWriteRegisters"): dict(
        data={"resume_target": (0, 0, 1), "arch_flags": (0, 8, 8), "count": (1, 0, W)},
        caps={}, length=2),
    (None, "TCBCopyRegisters"): dict(
        data={"suspend_source": (0, 0, 1), "resume_target": (0, 1, 1),
              "transfer_frame": (0, 2, 1), "transfer_integer": (0, 3, 1),
              "arch_flags": (0, 8, 8)},
        caps={"source": 0}, length=1),
    (None, "TCBConfigure"): dict(
        data={"fault_ep": (0, 0, W), "cspace_root_data": (1, 0, W),
              "vspace_root_data": (2, 0, W), "buffer": (3, 0, W)},
        caps={"cspace_root": 0, "vspace_root": 1, "bufferFrame": 2}, length=4),
    (None, "TCBSetPriority"): dict(data={"priority": (0, 0, W)}, caps={"authority": 0}, length=1),
    (None, "TCBSetSchedParams"): dict(data={"mcp": (0, 0, W), "priority": (1, 0, W)},
                                      caps={"authority": 0}, length=2),
    (None, "TCBSetSpace"): dict(
        data={"fault_ep": (0, 0, W), "cspace_root_data": (1, 0, W),
              "vspace_root_data": (2, 0, W)},
        caps={"cspace_root": 0, "vspace_root": 1}, length=3),
    (None, "TCBSetTLSBase"): dict(data={"tls_base": (0, 0, W)}, caps={}, length=1),
    (None, "TCBSetFlags"): dict(data={"clear": (0, 0, W), "set": (1, 0, W)}, caps={}, length=2,
                                out={"flags": (0, 0, W)}, out_length=1),
    (None, "CNodeRevoke"): dict(data={"index": (0, 0, W), "depth": (1, 0, 8)}, caps={},
                                length=2),
    (None, "CNodeCopy"): dict(
        data={"dest_index": (0, 0, W), "dest_depth": (1, 0, 8), "src_index": (2, 0, W),
              "src_depth": (3, 0, 8), "rights": (4, 0, W)},
        caps={"src_root": 0}, length=5),
    (None, "CNodeMint"): dict(
        data={"dest_index": (0, 0, W), "dest_depth": (1, 0, 8), "src_index": (2, 0, W),
              "src_depth": (3, 0, 8), "rights": (4, 0, W), "badge": (5, 0, W)},
        caps={"src_root": 0}, length=6),
    (None, "CNodeMove"): dict(
        data={"dest_index": (0, 0, W), "dest_depth": (1, 0, 8), "src_index": (2, 0, W),
              "src_depth": (3, 0, 8)},
        caps={"src_root": 0}, length=4),
    (None, "CNodeMutate"): dict(
        data={"dest_index": (0, 0, W), "dest_depth": (1, 0, 8), "src_index": (2, 0, W),
              "src_depth": (3, 0, 8), "badge": (4, 0, W)},
        caps={"src_root": 0}, length=5),
    (None, "CNodeRotate"): dict(
        data={"dest_index": (0, 0, W), "dest_depth": (1, 0, 8), "dest_badge": (2, 0, W),
              "pivot_index": (3, 0, W), "pivot_depth": (4, 0, 8), "pivot_badge": (5, 0, W),
              "src_index": (6, 0, W), "src_depth": (7, 0, 8)},
        caps={"pivot_root": 0, "src_root": 1}, length=8),
    (None, "IRQIssueIRQHandler"): dict(
        data={"irq": (0, 0, W), "index": (1, 0, W), "depth": (2, 0, 8)},
        caps={"root": 0}, length=3),
    (None, "IRQSetIRQHandler"): dict(data={}, caps={"notification": 0}, length=0),
    (None, "DomainSetSet"): dict(data={"domain": (0, 0, 8)}, caps={"thread": 0}, length=1),
    (None, "DomainScheduleConfigure"): dict(
        data={"index": (0, 0, W), "domain": (1, 0, 8), "duration": (2, 0, W)},
        caps={}, length=3),
    ("x86_64", "X86PDPTMap"): dict(data={"vaddr": (0, 0, W), "attr": (1, 0, W)},
                                   caps={"pml4": 0}, length=2),
    ("x86_64", "X86PageTableMap"): dict(data={"vaddr": (0, 0, W), "attr": (1, 0, W)},
                                        caps={"vspace": 0}, length=2),
    ("x86_64", "X86PageMap"): dict(
        data={"vaddr": (0, 0, W), "rights": (1, 0, W), "attr": (2, 0, W)},
        caps={"vspace": 0}, length=3),
    ("x86_64", "X86PageGetAddress"): dict(data={}, caps={}, length=0,
                                          out={"paddr": (0, 0, W)}, out_length=1),
    ("x86_64", "X86ASIDControlMakePool"): dict(
        data={"index": (0, 0, W), "depth": (1, 0, 8)}, caps={"untyped": 0, "root": 1}, length=2),
    ("x86_64", "X86IOPortControlIssue"): dict(
        data={"first_port": (0, 0, W), "last_port": (1, 0, W), "index": (2, 0, W),
              "depth": (3, 0, 8)},
        caps={"root": 0}, length=4),
    ("x86_64", "X86IOPortIn8"): dict(data={"port": (0, 0, 16)}, caps={}, length=1,
                                     out={"result": (0, 0, 8)}, out_length=1),
    ("x86_64", "X86IOPortIn32"): dict(data={"port": (0, 0, 16)}, caps={}, length=1,
                                      out={"result": (0, 0, 32)}, out_length=1),
    ("x86_64", "X86IOPortOut8"): dict(data={"port": (0, 0, W), "data": (1, 0, W)},
                                      caps={}, length=2),
    ("x86_64", "X86IRQIssueIRQHandlerIOAPIC"): dict(
        data={"index": (0, 0, W), "depth": (1, 0, 8), "ioapic": (2, 0, W), "pin": (3, 0, W),
              "level": (4, 0, W), "polarity": (5, 0, W), "vector": (6, 0, W)},
        caps={"root": 0}, length=7),
    ("x86_64", "X86IRQIssueIRQHandlerMSI"): dict(
        data={"index": (0, 0, W), "depth": (1, 0, 8), "pci_bus": (2, 0, W),
              "pci_dev": (3, 0, W), "pci_func": (4, 0, W), "handle": (5, 0, W),
              "vector": (6, 0, W)},
        caps={"root": 0}, length=7),
    ("aarch64", "ARMVSpaceClean_Data"): dict(data={"start": (0, 0, W), "end": (1, 0, W)},
                                             caps={}, length=2),
    ("aarch64", "ARMPageTableMap"): dict(data={"vaddr": (0, 0, W), "attr": (1, 0, W)},
                                         caps={"vspace": 0}, length=2),
    ("aarch64", "ARMPageMap"): dict(
        data={"vaddr": (0, 0, W), "rights": (1, 0, W), "attr": (2, 0, W)},
        caps={"vspace": 0}, length=3),
    ("aarch64", "ARMPageGetAddress"): dict(data={}, caps={}, length=0,
                                           out={"paddr": (0, 0, W)}, out_length=1),
    ("aarch64", "ARMIRQIssueIRQHandlerTrigger"): dict(
        data={"irq": (0, 0, W), "trigger": (1, 0, W), "index": (2, 0, W), "depth": (3, 0, 8)},
        caps={"root": 0}, length=4),
    ("aarch64", "ARMIRQIssueSGISignal"): dict(
        data={"irq": (0, 0, W), "target": (1, 0, W), "index": (2, 0, W), "depth": (3, 0, 8)},
        caps={"root": 0}, length=4),
    ("aarch64", "ARMASIDControlMakePool"): dict(
        data={"index": (0, 0, W), "depth": (1, 0, 8)}, caps={"untyped": 0, "root": 1}, length=2),
}

# §8.3 / §11: ReadRegisters/WriteRegisters transfer seL4_UserContext words.
USER_CONTEXT = {
    "x86_64": ["rip", "rsp", "rflags", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
               "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "fs_base", "gs_base"],
    "aarch64": ["pc", "sp", "spsr", "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
                "x16", "x17", "x18", "x29", "x30", "x9", "x10", "x11", "x12", "x13", "x14",
                "x15", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
                "tpidr_el0", "tpidrro_el0"],
}
# §8.8: SMC call passes x0..x7 in MR0..MR7 both ways.
SMC_CONTEXT = ["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"]
