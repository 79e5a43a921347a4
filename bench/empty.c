/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cost of starting a process at all, for the cost model of
 * docs/performance.md.  Built twice: as a static glibc program (what the
 * launcher and baseline-exec pay before main()), and, on x86-64, without
 * any libc (what the kernel alone charges for exec and exit).
 */
#ifdef EMPTY_NOLIBC
void _start(void);

void _start(void)
{
	__asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "memory");
}
#else
int main(void)
{
	return 0;
}
#endif
