/* SPDX-License-Identifier: MIT */
/*
 * vfork for x86_64.  The child runs on the parent's stack and in its
 * memory until it execs or exits, so nothing may stay on the stack across
 * libc's vfork: our return address goes to initial-exec TLS (the child
 * only reads it), and the thread is marked "in a vfork child" (ss_vforked)
 * so that every wrapper passes straight to libc while the child runs.  The
 * parent clears the mark when libc's vfork returns to it.  The shape is
 * that of glibc's own vfork and of compiler-rt's vfork interceptors.
 */
	.text
	.globl	vfork
	.type	vfork, @function
vfork:
	.cfi_startproc
	/* return address -> TLS; the stack is then 16-byte aligned */
	movq	ss_vfork_ra@gottpoff(%rip), %rcx
	popq	%fs:(%rcx)
	.cfi_adjust_cfa_offset -8
	.cfi_undefined rip
	call	ss_vfork_begin		/* sets the mark, returns libc's vfork */
	call	*%rax
	testl	%eax, %eax
	jz	1f			/* the child keeps the mark */
	movq	ss_vforked@gottpoff(%rip), %rcx
	movl	$0, %fs:(%rcx)
1:	movq	ss_vfork_ra@gottpoff(%rip), %rcx
	pushq	%fs:(%rcx)
	.cfi_adjust_cfa_offset 8
	.cfi_offset rip, -8
	ret
	.cfi_endproc
	.size	vfork, .-vfork

	.section .note.GNU-stack,"",@progbits
