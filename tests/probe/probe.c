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
#include <pthread.h>
#include <sched.h>
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
#include "probe.h"

int probe_result(int r)
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

struct thread_read {
	char **args;
	int result;
};

static void *read_in_thread(void *arg)
{
	struct thread_read *t = arg;

	t->result = op_read(t->args);
	return NULL;
}

/* The same read from a second thread (learning mode must see threads). */
static int op_thread_read(char **a)
{
	struct thread_read tr = { a, 0 };
	pthread_t t;
	int e = pthread_create(&t, NULL, read_in_thread, &tr);

	if (e)
		return e;
	e = pthread_join(t, NULL);
	return e ? e : tr.result;
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
/* Run path (or the file fd, when fd >= 0) as "PROGRAM exit 0" in a child:
 * 0 when it ran, else the errno of the exec. */
static int try_exec(const char *path, int fd)
{
	int pipefd[2], e = 0, status;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return errno;
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		char *argv[] = { (char *) path, "exit", "0", NULL };
		if (fd >= 0)
			syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
		else
			execv(path, argv);
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

static int op_exec(char **a)
{
	return try_exec(a[0], -1);
}

/*
 * memfd-exec 0|exec: this very program copied into a memfd made with the
 * flags 0 or MFD_EXEC, then executed from it (Landlock does not check
 * memfds).  memfd_create's errno when it refuses; EACCES when the memfd
 * may not be executed.
 */
static int op_memfd_exec(char **a)
{
	unsigned flags = strcmp(a[0], "exec") == 0 ? 0x10u /* MFD_EXEC */ : 0;
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), fd, e = 0;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return errno;
	fd = (int) syscall(SYS_memfd_create, "probe", flags);
	if (fd < 0) {
		e = errno;
		close(in);
		return e;
	}
	while (e == 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t) n) != n)
			e = errno;
	close(in);
	if (e == 0)
		e = try_exec("probe", fd);
	close(fd);
	return e;
}

static int op_mkdir(char **a)
{
	return probe_result(mkdir(a[0], 0755));
}
static int op_rmdir(char **a)
{
	return probe_result(rmdir(a[0]));
}
static int op_unlink(char **a)
{
	return probe_result(unlink(a[0]));
}
static int op_mkreg(char **a)
{
	return probe_result(mknod(a[0], S_IFREG | 0644, 0));
}
static int op_mkfifo(char **a)
{
	return probe_result(mknod(a[0], S_IFIFO | 0644, 0));
}
static int op_mkchar(char **a)
{
	return probe_result(mknod(a[0], S_IFCHR | 0644, makedev(1, 3)));
}
static int op_mkblock(char **a)
{
	return probe_result(mknod(a[0], S_IFBLK | 0644, makedev(7, 0)));
}
static int op_symlink(char **a)
{
	return probe_result(symlink(a[0], a[1]));
}
static int op_link(char **a)
{
	return probe_result(link(a[0], a[1]));
}
static int op_rename(char **a)
{
	return probe_result(rename(a[0], a[1]));
}
static int op_truncate(char **a)
{
	return probe_result(truncate(a[0], 0));
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
	e = probe_result(bind(fd, (struct sockaddr *) &addr, sizeof(addr)));
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
	e = probe_result(ioctl(fd, TCGETS, &t));
	close(fd);
	return e;
}

static int op_stat(char **a)
{
	struct stat st;

	return probe_result(stat(a[0], &st));
}

/* "inet", "inet6", "unix", ... or a number. */
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

static int op_kill(char **a)
{
	pid_t pid = (pid_t) strtol(a[0], NULL, 10);

	return probe_result(kill(pid ? pid : getpid(), 0));
}

/*
 * unshare mnt|user-mnt: a mount namespace of its own (with a user
 * namespace), for the operations after it; sleep N: wait.
 */
static int op_unshare(char **a)
{
	int flags = CLONE_NEWNS | (strcmp(a[0], "user-mnt") == 0 ? CLONE_NEWUSER : 0);

	return probe_result(unshare(flags));
}

static int op_sleep(char **a)
{
	return probe_result(sleep((unsigned) atoi(a[0])) == 0 ? 0 : -1);
}

static int op_exit(char **a)
{
	(void) fflush(stdout);
	_exit(atoi(a[0]));
}

const struct probe_op probe_fs_ops[] = {
	{ "read", 1, op_read },
	{ "thread-read", 1, op_thread_read },
	{ "write", 1, op_write },
	{ "readdir", 1, op_readdir },
	{ "exec", 1, op_exec },
	{ "memfd-exec", 1, op_memfd_exec },
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
	{ "kill", 1, op_kill },
	{ "exit", 1, op_exit },
	{ "unshare", 1, op_unshare },
	{ "sleep", 1, op_sleep },
	{ "stat", 1, op_stat },
	{ "ptrace", 1, op_ptrace },
	{ "landlock-self", 1, op_landlock_self },
	{ NULL, 0, NULL },
};

/* How a result is printed: OK, or the errno value's symbolic name. */
static const char *errname(int e)
{
	const char *name = e ? strerrorname_np(e) : "OK";

	return name ? name : strerror(e);
}

/* "fds": the open descriptors, without the one used to list them. */
static void list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	bool first = true;

	printf("fds =>");
	if (!d) {
		printf(" %s\n", errname(errno));
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
		printf("%s => %s\n", what, errname(errno));
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

static const struct probe_op *find_op(const char *name)
{
	const struct probe_op *tables[] = { probe_fs_ops, probe_net_ops };

	for (size_t t = 0; t < 2; t++)
		for (const struct probe_op *op = tables[t]; op->name; op++)
			if (strcmp(op->name, name) == 0)
				return op;
	return NULL;
}

int main(int argc, char **argv)
{
	(void) setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc;) {
		const struct probe_op *op;
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
		op = find_op(argv[i]);
		if (!op || i + op->nargs >= argc) {
			fprintf(stderr, "probe: bad operation '%s'\n", argv[i]);
			return 2;
		}
		e = op->fn(argv + i + 1);
		printf("%s", argv[i]);
		for (int n = 1; n <= op->nargs; n++)
			printf(" %s", argv[i + n]);
		printf(" => %s\n", errname(e));
		i += 1 + op->nargs;
	}
	return 0;
}
