/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: perform operations and print how each one ended.
 *
 *   probe OP ARG... [OP ARG...]...
 *
 * Each operation prints one line "OP ARG... => RESULT", RESULT being OK or
 * the errno name (EACCES, EXDEV, ...), and the next one runs regardless.
 * Tests run it inside a sandbox and assert the result of every operation.
 * Linked statically so it runs in any container image.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common/error.h"

/* 0 on success, else the errno value. */
typedef int (*op_fn)(char **args);

static int result(int r)
{
	return r < 0 ? errno : 0;
}

static int op_read(char **a)
{
	char c;
	int fd = open(a[0], O_RDONLY | O_CLOEXEC);
	int e;

	if (fd < 0)
		return errno;
	e = read(fd, &c, 1) < 0 ? errno : 0;
	close(fd);
	return e;
}

static int op_write(char **a)
{
	int fd = open(a[0], O_WRONLY | O_APPEND | O_CLOEXEC);
	int e;

	if (fd < 0)
		return errno;
	e = write(fd, "w", 1) < 0 ? errno : 0;
	close(fd);
	return e;
}

static int op_readdir(char **a)
{
	DIR *d = opendir(a[0]);
	int e = 0;

	if (!d)
		return errno;
	errno = 0;
	if (!readdir(d) && errno)
		e = errno;
	closedir(d);
	return e;
}

/* Exec in a child; the result is the execve() errno, OK if it ran. */
static int op_exec(char **a)
{
	int pipefd[2], e = 0, status;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return errno;
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		char *argv[] = { a[0], "exit", "0", NULL };
		execv(a[0], argv);
		e = errno;
		if (write(pipefd[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &e, sizeof(e)) != sizeof(e))
		e = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return e;
}

static int op_mkdir(char **a)
{
	return result(mkdir(a[0], 0755));
}
static int op_rmdir(char **a)
{
	return result(rmdir(a[0]));
}
static int op_unlink(char **a)
{
	return result(unlink(a[0]));
}
static int op_mkreg(char **a)
{
	return result(mknod(a[0], S_IFREG | 0644, 0));
}
static int op_mkfifo(char **a)
{
	return result(mknod(a[0], S_IFIFO | 0644, 0));
}
static int op_mkchar(char **a)
{
	return result(mknod(a[0], S_IFCHR | 0644, makedev(1, 3)));
}
static int op_mkblock(char **a)
{
	return result(mknod(a[0], S_IFBLK | 0644, makedev(7, 0)));
}
static int op_symlink(char **a)
{
	return result(symlink(a[0], a[1]));
}
static int op_link(char **a)
{
	return result(link(a[0], a[1]));
}
static int op_rename(char **a)
{
	return result(rename(a[0], a[1]));
}
static int op_truncate(char **a)
{
	return result(truncate(a[0], 0));
}

static int op_open_trunc(char **a)
{
	int fd = open(a[0], O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int op_mksock(char **a)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e;

	if (fd < 0)
		return errno;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", a[0]);
	e = result(bind(fd, (struct sockaddr *) &addr, sizeof(addr)));
	close(fd);
	return e;
}

/* TCGETS on a device that is no terminal: ENOTTY when allowed. */
static int op_ioctl(char **a)
{
	struct termios t;
	int fd = open(a[0], O_RDONLY | O_CLOEXEC);
	int e;

	if (fd < 0)
		return errno;
	e = result(ioctl(fd, TCGETS, &t));
	close(fd);
	return e;
}

static int tcp(char **a, int family, bool do_bind)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	unsigned port = (unsigned) strtoul(a[0], NULL, 10);
	struct sockaddr *sa;
	socklen_t len;
	int fd, e;

	in4.sin_port = in6.sin6_port = htons((uint16_t) port);
	in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	in6.sin6_addr = in6addr_loopback;
	sa = family == AF_INET ? (struct sockaddr *) &in4 : (struct sockaddr *) &in6;
	len = family == AF_INET ? sizeof(in4) : sizeof(in6);
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	e = result(do_bind ? bind(fd, sa, len) : connect(fd, sa, len));
	close(fd);
	return e;
}

/* Listen on 127.0.0.1:PORT until the probe exits (for connect tests). */
static int listen_on(char **a, int family)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	uint16_t port = htons((uint16_t) strtoul(a[0], NULL, 10));
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return errno;
	in4.sin_port = in6.sin6_port = port;
	in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (family == AF_INET)
		r = bind(fd, (struct sockaddr *) &in4, sizeof(in4));
	else
		r = bind(fd, (struct sockaddr *) &in6, sizeof(in6));
	if (r < 0 || listen(fd, 8) < 0) {
		int e = errno;
		close(fd);
		return e;
	}
	return 0; /* the descriptor stays open on purpose */
}

static int op_listen(char **a)
{
	return listen_on(a, AF_INET);
}

static int op_listen6(char **a)
{
	return listen_on(a, AF_INET6);
}

static int op_stat(char **a)
{
	struct stat st;

	return result(stat(a[0], &st));
}

/* "inet", "inet6", "unix", ... or a number. */
static long sock_domain(const char *s)
{
	static const struct {
		const char *name;
		long value;
	} names[] = { { "unix", AF_UNIX },	 { "inet", AF_INET },	  { "inet6", AF_INET6 },
		      { "netlink", AF_NETLINK }, { "packet", AF_PACKET }, { "vsock", 40 } };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].value;
	return strtol(s, NULL, 0);
}

static long sock_type(const char *s)
{
	if (strcmp(s, "stream") == 0)
		return SOCK_STREAM;
	if (strcmp(s, "dgram") == 0)
		return SOCK_DGRAM;
	if (strcmp(s, "raw") == 0)
		return SOCK_RAW;
	if (strcmp(s, "seqpacket") == 0)
		return SOCK_SEQPACKET;
	return strtol(s, NULL, 0);
}

/* socket DOMAIN TYPE PROTOCOL */
static int op_socket(char **a)
{
	int fd = socket((int) sock_domain(a[0]), (int) sock_type(a[1]) | SOCK_CLOEXEC,
			(int) strtol(a[2], NULL, 0));

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The same with the high 32 bits of every argument set: the kernel reads
 * ints and ignores them; a filter comparing 64 bits would not. */
static int op_socket_hi(char **a)
{
	const long hi = (long) (1UL << 32);
	long fd = syscall(SYS_socket, hi | sock_domain(a[0]), hi | sock_type(a[1]),
			  hi | strtol(a[2], NULL, 0));

	if (fd < 0)
		return errno;
	close((int) fd);
	return 0;
}

static int op_socketpair(char **a)
{
	int sv[2];

	if (socketpair((int) sock_domain(a[0]), (int) sock_type(a[1]) | SOCK_CLOEXEC, 0, sv) < 0)
		return errno;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

#if defined(__x86_64__)
/* An i386 system call from this 64-bit process, through int 0x80. */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return (int) ret;
}

/* i386 socket() (359), then i386 socketcall(SYS_SOCKET) (102). */
static int op_socket32(char **a)
{
	long fd = int80(359, sock_domain(a[0]), sock_type(a[1]), strtol(a[2], NULL, 0));

	if (fd < 0)
		return (int) -fd;
	close((int) fd);
	return 0;
}

static unsigned int socketcall_args[3]; /* below 4 GiB: a static, non-PIE binary */

static int op_socketcall32(char **a)
{
	long fd;

	socketcall_args[0] = (unsigned int) sock_domain(a[0]);
	socketcall_args[1] = (unsigned int) sock_type(a[1]);
	socketcall_args[2] = (unsigned int) strtol(a[2], NULL, 0);
	fd = int80(102, 1 /* SYS_SOCKET */, (long) (uintptr_t) socketcall_args, 0);
	if (fd < 0)
		return (int) -fd;
	close((int) fd);
	return 0;
}

/* An x32 socket(): ENOSYS on kernels without the x32 ABI. */
static int op_socket_x32(char **a)
{
	long fd = syscall(0x40000000 | SYS_socket, sock_domain(a[0]), sock_type(a[1]),
			  strtol(a[2], NULL, 0));

	if (fd < 0)
		return errno;
	close((int) fd);
	return 0;
}
#endif

/* io_uring can create sockets without socket(): is it reachable? */
static int op_io_uring(char **a)
{
	unsigned char params[120] = { 0 };
	long fd = syscall(425 /* io_uring_setup */, 1, params);

	(void) a;
	if (fd < 0)
		return errno;
	close((int) fd);
	return 0;
}

static int op_ptrace(char **a)
{
	pid_t pid = (pid_t) strtol(a[0], NULL, 10);

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
		return errno;
	waitpid(pid, NULL, 0);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

/*
 * The workload sandboxes itself further: a layer that handles reading and
 * allows it under PATH only.  Later operations show the intersection.
 */
static int op_landlock_self(char **a)
{
	uint64_t handled_fs = 1ULL << 2; /* read_file: an ABI 1 ruleset attribute */
	/* The kernel reads it through a pointer: cppcheck cannot see that. */
	struct __attribute__((packed)) {
		uint64_t access; /* cppcheck-suppress unusedStructMember */
		int32_t fd;
	} rule = { .access = 1ULL << 2 };
	long rs = syscall(444, &handled_fs, sizeof(handled_fs), 0);
	int e = 0;

	if (rs < 0)
		return errno;
	rule.fd = open(a[0], O_PATH | O_CLOEXEC);
	if (rule.fd < 0 || syscall(445, (int) rs, 1, &rule, 0) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(446, (int) rs, 0) < 0)
		e = errno;
	if (rule.fd >= 0)
		close(rule.fd);
	close((int) rs);
	return e;
}

static int op_bind(char **a)
{
	return tcp(a, AF_INET, true);
}
static int op_connect(char **a)
{
	return tcp(a, AF_INET, false);
}
static int op_bind6(char **a)
{
	return tcp(a, AF_INET6, true);
}
static int op_connect6(char **a)
{
	return tcp(a, AF_INET6, false);
}

static int abstract_addr(const char *name, struct sockaddr_un *addr)
{
	size_t n = strlen(name);

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path + 1, name, n);
	return (int) (offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int op_abstract(char **a)
{
	struct sockaddr_un addr;
	socklen_t len = (socklen_t) abstract_addr(a[0], &addr);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e;

	if (fd < 0)
		return errno;
	e = result(connect(fd, (struct sockaddr *) &addr, len));
	close(fd);
	return e;
}

/* Listen on an abstract socket of our own and connect to it. */
static int op_abstract_self(char **a)
{
	struct sockaddr_un addr;
	socklen_t len = (socklen_t) abstract_addr(a[0], &addr);
	int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e;

	if (srv < 0)
		return errno;
	if (bind(srv, (struct sockaddr *) &addr, len) < 0 || listen(srv, 1) < 0) {
		e = errno;
		close(srv);
		return e;
	}
	e = op_abstract(a);
	close(srv);
	return e;
}

static int op_kill(char **a)
{
	pid_t pid = (pid_t) strtol(a[0], NULL, 10);

	return result(kill(pid ? pid : getpid(), 0));
}

static int op_exit(char **a)
{
	(void) fflush(stdout);
	_exit(atoi(a[0]));
}

static const struct {
	const char *name;
	int nargs;
	op_fn fn;
} ops[] = {
	{ "read", 1, op_read },
	{ "write", 1, op_write },
	{ "readdir", 1, op_readdir },
	{ "exec", 1, op_exec },
	{ "mkdir", 1, op_mkdir },
	{ "rmdir", 1, op_rmdir },
	{ "unlink", 1, op_unlink },
	{ "mkreg", 1, op_mkreg },
	{ "mkfifo", 1, op_mkfifo },
	{ "mkchar", 1, op_mkchar },
	{ "mkblock", 1, op_mkblock },
	{ "mksock", 1, op_mksock },
	{ "symlink", 2, op_symlink },
	{ "link", 2, op_link },
	{ "rename", 2, op_rename },
	{ "truncate", 1, op_truncate },
	{ "open-trunc", 1, op_open_trunc },
	{ "ioctl", 1, op_ioctl },
	{ "bind", 1, op_bind },
	{ "connect", 1, op_connect },
	{ "bind6", 1, op_bind6 },
	{ "connect6", 1, op_connect6 },
	{ "abstract", 1, op_abstract },
	{ "abstract-self", 1, op_abstract_self },
	{ "kill", 1, op_kill },
	{ "exit", 1, op_exit },
	{ "listen", 1, op_listen },
	{ "listen6", 1, op_listen6 },
	{ "stat", 1, op_stat },
	{ "socket", 3, op_socket },
	{ "socket-hi", 3, op_socket_hi },
	{ "socketpair", 2, op_socketpair },
#if defined(__x86_64__)
	{ "socket32", 3, op_socket32 },
	{ "socketcall32", 3, op_socketcall32 },
	{ "socket-x32", 3, op_socket_x32 },
#endif
	{ "io-uring", 0, op_io_uring },
	{ "ptrace", 1, op_ptrace },
	{ "landlock-self", 1, op_landlock_self },
};

/* "fds": the open descriptors, without the one used to list them. */
static void list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	bool first = true;

	printf("fds =>");
	if (!d) {
		printf(" %s\n", ol_errno_name(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		printf("%s%s", first ? " " : ",", de->d_name);
		first = false;
	}
	printf("\n");
	closedir(d);
}

/*
 * "cmdline", "environ": the NUL-separated file of /proc/self, items
 * joined with '|'.  "nnp": the NoNewPrivs line of /proc/self/status.
 */
static void show_proc(const char *what)
{
	char buf[65536], path[64];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/%s", strcmp(what, "nnp") ? what : "status");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		n = read(fd, buf, sizeof(buf) - 1);
	if (fd < 0 || n < 0) {
		printf("%s => %s\n", what, ol_errno_name(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	buf[n] = '\0';
	if (strcmp(what, "nnp") == 0) {
		const char *line = strstr(buf, "NoNewPrivs:");
		printf("nnp => %d\n", line ? atoi(line + strlen("NoNewPrivs:")) : -1);
		return;
	}
	for (ssize_t k = 0; k + 1 < n; k++)
		if (buf[k] == '\0')
			buf[k] = '|';
	printf("%s => %s\n", what, buf);
}

int main(int argc, char **argv)
{
	(void) setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc;) {
		size_t k = 0;
		int e;

		if (strcmp(argv[i], "fds") == 0) {
			list_fds();
			i++;
			continue;
		}
		if (strcmp(argv[i], "cmdline") == 0 || strcmp(argv[i], "environ") == 0 ||
		    strcmp(argv[i], "nnp") == 0) {
			show_proc(argv[i++]);
			continue;
		}
		while (k < sizeof(ops) / sizeof(ops[0]) && strcmp(ops[k].name, argv[i]) != 0)
			k++;
		if (k == sizeof(ops) / sizeof(ops[0]) || i + ops[k].nargs >= argc) {
			fprintf(stderr, "probe: bad operation '%s'\n", argv[i]);
			return 2;
		}
		e = ops[k].fn(argv + i + 1);
		printf("%s", argv[i]);
		for (int n = 1; n <= ops[k].nargs; n++)
			printf(" %s", argv[i + n]);
		printf(" => %s\n", ol_errno_name(e) ? ol_errno_name(e) : strerror(e));
		i += 1 + ops[k].nargs;
	}
	return 0;
}
