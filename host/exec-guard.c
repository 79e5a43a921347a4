/* SPDX-License-Identifier: Apache-2.0 */
/* Following a container's process to its execve(2). */
#include "exec-guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fileio.h"

extern char **environ;

/* Threads of the runtime's init (Go's runtime has a few); the shim's
 * runtime forks too. */
#define GATE_OPTIONS (PTRACE_O_TRACEEXEC | PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL)
#define SHIM_OPTIONS (GATE_OPTIONS | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK)
#define MAX_CMDLINE  (4u << 20)
#define MAX_THREADS  4096

/* What the process must execute, and whom the guard follows. */
struct follow {
	dev_t dev; /* the launcher file */
	ino_t ino;
	char *cmdline; /* the arguments, each ended by a NUL, as /proc/PID/cmdline */
	size_t len;
	pid_t leader;  /* the gate's: the container's process; 0 for the shim */
	ino_t outside; /* the shim's own mount namespace: the runtime's execs */
	pid_t runtime; /* the shim's child */
	int status;    /* its wait status */
};

static int want_file(struct follow *f, const char *launcher, struct ol_error *err)
{
	struct stat st;

	if (stat(launcher, &st) < 0)
		return ol_error_errno(err, errno, "cannot look at the launcher '%s'", launcher);
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	return 0;
}

/* args as /proc/PID/cmdline shows them: each ended by a NUL. */
static char *joined(const struct ol_strv *args, size_t *len)
{
	struct ol_buf b = { 0 };

	for (size_t i = 0; i < args->n; i++)
		if (ol_buf_append(&b, args->v[i], strlen(args->v[i]) + 1) < 0) {
			ol_buf_free(&b);
			return NULL;
		}
	return ol_buf_steal(&b, len);
}

/* Whether pid, stopped at its exec, runs what f asks for; else why not. */
static bool verify(pid_t pid, const struct follow *f, char *why, size_t size)
{
	struct ol_error err = { 0 };
	cleanup_free char *cmd = NULL;
	cleanup_close int fd = -1;
	char path[64];
	struct stat st;
	size_t len = 0;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int) pid);
	if (stat(path, &st) < 0) {
		snprintf(why, size, "cannot look at what it executes (%s)", strerror(errno));
		return false;
	}
	if (st.st_dev != f->dev || st.st_ino != f->ino) {
		char target[512];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		snprintf(why, size, "it was about to execute '%s' as the launcher", target);
		return false;
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int) pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ol_read_stream(fd, path, MAX_CMDLINE, &cmd, &len, &err) < 0) {
		snprintf(why, size, "cannot read its command line");
		return false;
	}
	if (len != f->len || memcmp(cmd, f->cmdline, len) != 0) {
		snprintf(why, size,
			 "it was about to run the launcher with arguments of someone "
			 "else's (a script whose interpreter is the launcher?)");
		return false;
	}
	return true;
}

/* Say why on the process's standard error, then kill it where it stands. */
static void refuse(pid_t pid, const char *why)
{
	char path[64], msg[1400];
	int fd, n;

	n = snprintf(msg, sizeof(msg),
		     "oci-landlock: exec guard: killed before it ran: %s; someone else may "
		     "write the container's root directory and swapped the launcher\n",
		     why);
	snprintf(path, sizeof(path), "/proc/%d/fd/2", (int) pid);
	fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	/* Best effort: the kill is what matters. */
	if (fd >= 0 && write(fd, msg, (size_t) n) == n)
		fsync(fd);
	if (fd >= 0)
		close(fd);
	kill(pid, SIGKILL);
}

static ino_t mntns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int) pid);
	return stat(path, &st) < 0 ? 0 : st.st_ino;
}

/*
 * An exec stop.  The gate's guard checks the container's process; the
 * shim's checks every process that has left the shim's own mount
 * namespace (the runtime's own execs are in it; one it cannot place is
 * checked too).  Returns true when the gate's guard is done.
 */
static bool exec_stop(struct follow *f, pid_t pid)
{
	char why[1024];
	bool theirs = f->leader ? pid == f->leader : mntns_of(pid) != f->outside;

	if (!theirs) {
		ptrace(PTRACE_CONT, pid, 0, 0);
		return false;
	}
	if (verify(pid, f, why, sizeof(why)))
		ptrace(PTRACE_DETACH, pid, 0, 0);
	else
		refuse(pid, why);
	return f->leader != 0;
}

/* Serve the tracees' stops until the work is done or none is left. */
static void follow(struct follow *f)
{
	for (;;) {
		int st, sig;
		pid_t pid = waitpid(-1, &st, __WALL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return; /* ECHILD: no tracee left */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (pid == f->runtime)
				f->status = st;
			if (pid == f->leader)
				return;
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		sig = WSTOPSIG(st);
		switch ((unsigned) st >> 16) {
		case PTRACE_EVENT_EXEC:
			if (exec_stop(f, pid))
				return;
			break;
		case PTRACE_EVENT_STOP:
			/* A group stop, or a new tracee's first stop. */
			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
				ptrace(PTRACE_LISTEN, pid, 0, 0);
			else
				ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		case 0: /* a signal for the tracee: deliver it */
			ptrace(PTRACE_CONT, pid, 0, sig);
			break;
		default: /* clone, fork, vfork */
			ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		}
	}
}

/* ---- the gate's guard ----------------------------------------------------- */

static bool traced_by_us(pid_t tid)
{
	char path[64], buf[4096];
	cleanup_close int fd = -1;
	const char *line;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int) tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	line = strstr(buf, "\nTracerPid:");
	return line && atoi(line + strlen("\nTracerPid:")) == (int) getpid();
}

/* Seize every thread of pid, until a pass over its tasks finds no new one
 * (threads made after their maker was seized are seized by the kernel). */
static int seize_threads(pid_t pid)
{
	cleanup_free pid_t *seen = calloc(MAX_THREADS, sizeof(*seen));
	size_t n = 0;
	char path[64];

	if (!seen)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/proc/%d/task", (int) pid);
	for (int pass = 0; pass < 64; pass++) {
		DIR *d = opendir(path);
		struct dirent *de;
		bool added = false;
		int r = 0;

		if (!d)
			return -errno;
		while (r == 0 && (de = readdir(d))) {
			pid_t tid = (pid_t) atoi(de->d_name);
			bool known = false;
			for (size_t i = 0; i < n && !known; i++)
				known = seen[i] == tid;
			if (tid <= 0 || known)
				continue;
			if (ptrace(PTRACE_SEIZE, tid, 0, GATE_OPTIONS) < 0 &&
			    !(errno == EPERM && traced_by_us(tid)) && errno != ESRCH)
				r = -errno;
			else if (n >= MAX_THREADS)
				r = -E2BIG;
			else
				seen[n++] = tid;
			added = true;
		}
		closedir(d);
		if (r < 0 || !added)
			return r;
	}
	return -EAGAIN;
}

static int read_all(int fd, void *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = read(fd, (char *) buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t) n;
	}
	return 0;
}

/*
 * The guard: told the command line (a length, then the bytes), it
 * attaches and says so (0, or minus the errno); told nothing, it exits.
 */
static void guard(pid_t pid, const char *launcher, int ctl, int ack)
{
	struct ol_error err = { 0 };
	struct follow f = { .leader = pid };
	uint32_t len;
	int r, null = open("/dev/null", O_RDWR | O_CLOEXEC);

	/* Out of the hook's way (the runtime waits for its pipes' end), and
	 * holding nothing of the gate's but its two pipes, at 3 and 4. */
	ctl = fcntl(ctl, F_DUPFD_CLOEXEC, 16);
	ack = fcntl(ack, F_DUPFD_CLOEXEC, 16);
	if (null < 0 || ctl < 0 || ack < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0 || dup3(ctl, 3, O_CLOEXEC) < 0 || dup3(ack, 4, O_CLOEXEC) < 0 ||
	    syscall(SYS_close_range, 5, ~0U, 0) < 0 || setsid() < 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || chdir("/") < 0)
		_exit(2);
	ctl = 3;
	ack = 4;
	if (read_all(ctl, &len, sizeof(len)) < 0 || len == 0 || len > MAX_CMDLINE)
		_exit(0);
	f.cmdline = malloc(len);
	if (!f.cmdline || read_all(ctl, f.cmdline, len) < 0)
		_exit(2);
	f.len = len;
	r = want_file(&f, launcher, &err) < 0 ? -err.code : seize_threads(pid);
	if (write(ack, &r, sizeof(r)) != sizeof(r) || r < 0)
		_exit(2);
	close(ack);
	close(ctl);
	follow(&f);
	_exit(0);
}

void ol_exec_guard_attach(pid_t container_pid, const char *launcher, struct ol_exec_guard *g)
{
	int ctl[2], ack[2];

	memset(g, 0, sizeof(*g));
	g->ctl = g->ack = -1;
	if (pipe2(ctl, O_CLOEXEC) < 0) {
		ol_error_errno(&g->failed, errno, "cannot create a pipe");
		return;
	}
	if (pipe2(ack, O_CLOEXEC) < 0) {
		ol_error_errno(&g->failed, errno, "cannot create a pipe");
		close(ctl[0]);
		close(ctl[1]);
		return;
	}
	g->pid = fork();
	if (g->pid == 0) {
		close(ctl[1]);
		close(ack[0]);
		guard(container_pid, launcher, ctl[0], ack[1]);
	}
	close(ctl[0]);
	close(ack[1]);
	g->ctl = ctl[1];
	g->ack = ack[0];
	if (g->pid < 0) {
		g->pid = 0;
		ol_error_errno(&g->failed, errno, "cannot fork");
	}
}

/* Send the command line; the guard's answer: 0, or minus an errno. */
static int send_args(struct ol_exec_guard *g, const struct ol_strv *args, struct ol_error *err)
{
	cleanup_free char *cmdline = NULL;
	size_t len = 0;
	uint32_t n;
	int answer;

	if (g->failed.code) {
		*err = g->failed;
		return -err->code;
	}
	if (!g->pid)
		return ol_error_set(err, ESRCH, "the hook state names no process");
	cmdline = joined(args, &len);
	if (!cmdline || len > MAX_CMDLINE)
		return ol_error_set(err, cmdline ? E2BIG : ENOMEM, "the command line is too long");
	n = (uint32_t) len;
	if (ol_write_all(g->ctl, (const char *) &n, sizeof(n)) < 0 ||
	    ol_write_all(g->ctl, cmdline, len) < 0 || read_all(g->ack, &answer, sizeof(answer)) < 0)
		return ol_error_set(err, EPIPE, "the guard went away");
	if (answer < 0)
		return ol_error_errno(err, -answer, "ptrace");
	return 0;
}

int ol_exec_guard_arm(struct ol_exec_guard *g, const struct ol_strv *args, struct ol_error *err)
{
	int r = args ? send_args(g, args, err) : 0, status;

	if (g->ctl >= 0)
		close(g->ctl);
	if (g->ack >= 0)
		close(g->ack);
	g->ctl = g->ack = -1;
	/* Armed, it lives on (reparented) until the exec; else it exits now. */
	if (g->pid && (!args || r < 0)) {
		if (r < 0)
			kill(g->pid, SIGKILL);
		while (waitpid(g->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	g->pid = 0;
	if (r < 0)
		return ol_error_prefix(err, "cannot follow the container's process to its exec");
	return 0;
}

/* ---- the shim's guard ------------------------------------------------------ */

static volatile sig_atomic_t runtime_pid;

static void pass_on(int sig)
{
	if (runtime_pid > 0)
		kill((pid_t) runtime_pid, sig);
}

int ol_exec_guard_run(char **argv, const char *launcher, const struct ol_strv *args, int *status,
		      struct ol_error *err)
{
	struct sigaction sa = { .sa_handler = pass_on, .sa_flags = SA_RESTART };
	struct follow f = { 0 };
	cleanup_free char *cmdline = NULL;
	int go[2];
	pid_t child;

	if (want_file(&f, launcher, err) < 0)
		return -err->code;
	f.cmdline = cmdline = joined(args, &f.len);
	f.outside = mntns_of(getpid());
	if (!cmdline || !f.outside)
		return ol_error_set(err, ENOMEM, "out of memory, or no /proc");
	if (pipe2(go, O_CLOEXEC) < 0)
		return ol_error_errno(err, errno, "cannot create a pipe");
	child = fork();
	if (child == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) == 1)
			execve(argv[0], argv, environ);
		_exit(127);
	}
	close(go[0]);
	if (child < 0 || ptrace(PTRACE_SEIZE, child, 0, SHIM_OPTIONS) < 0) {
		int e = errno;
		close(go[1]);
		if (child > 0)
			waitpid(child, NULL, 0);
		return ol_error_errno(err, e,
				      "cannot follow the runtime to the exec session's "
				      "exec");
	}
	runtime_pid = child;
	/* Every signal another process may send, as to the runtime itself
	 * (but the ones the kernel raises for a fault of the shim's own). */
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD && sig != SIGSEGV &&
		    sig != SIGBUS && sig != SIGILL && sig != SIGFPE && sig != SIGTRAP &&
		    sig != SIGSYS)
			sigaction(sig, &sa, NULL);
	if (write(go[1], "g", 1) != 1) {
		close(go[1]);
		kill(child, SIGKILL);
	}
	close(go[1]);
	f.runtime = child;
	follow(&f);
	*status = f.status;
	return 0;
}
