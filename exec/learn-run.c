/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: the fork, the supervisor loop, the exit status.
 *
 * The filter is loaded in the child, after the fork, so the supervisor is
 * never under it (it would wait on itself).  The child sends the
 * listener's descriptor over a socket pair (SCM_RIGHTS), closes its own
 * copy and execs: every later exec, fork, clone and thread of the
 * workload inherits the filter.  The filter notifies sendmsg() too, so
 * the child's own sendmsg() is made by a thread started before the filter
 * was loaded (a filter binds the thread that loads it and what it starts
 * afterwards): under the filter it would wait for a supervisor that does
 * not have the listener yet.
 *
 * The supervisor may be PID 1 of a container: it blocks the signals it
 * forwards and SIGCHLD and reads them from a signalfd (a blocked signal
 * is queued even for PID 1), reaps every child that is reparented to it,
 * and ends when the workload does, with its exit status (its own death by
 * the same signal, or 128+N where PID 1 cannot die of it).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "launcher.h"
#include "learn-run.h"
#include "learn-save.h"

/* Signals a runtime or a terminal sends that belong to the workload. */
static const int forwarded[] = { SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
				 SIGUSR2, SIGWINCH, SIGALRM, SIGCONT, SIGTSTP };

/* One byte and room for one descriptor: the message of both ends. */
struct fd_message {
	char data;
	struct iovec iov;
	struct msghdr msg;
	/* Last: clang sees CMSG_SPACE() as a variable size. */
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
};

static void fd_message_init(struct fd_message *m)
{
	memset(m, 0, sizeof(*m));
	m->data = 'L';
	m->iov = (struct iovec){ .iov_base = &m->data, .iov_len = 1 };
	m->msg = (struct msghdr){ .msg_iov = &m->iov,
				  .msg_iovlen = 1,
				  .msg_control = m->u.buf,
				  .msg_controllen = sizeof(m->u.buf) };
}

static int send_fd(int sock, int fd)
{
	struct fd_message m;
	struct cmsghdr *cm;

	fd_message_init(&m);
	cm = CMSG_FIRSTHDR(&m.msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &m.msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* The listener, or -1 when the child failed before sending it. */
static int recv_fd(int sock)
{
	struct fd_message m;
	struct cmsghdr *cm;
	ssize_t n;
	int fd;

	fd_message_init(&m);
	while ((n = recvmsg(sock, &m.msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	cm = n == 1 ? CMSG_FIRSTHDR(&m.msg) : NULL;
	if (!cm || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* The thread that sends the listener, outside the filter. */
struct handover {
	pthread_mutex_t lock;
	pthread_cond_t loaded;
	int sock;
	int listener; /* -1 until the filter is loaded, -2 when that failed */
	int error;    /* send_fd()'s errno, 0 when sent */
};

static void *hand_over(void *arg)
{
	struct handover *h = arg;

	pthread_mutex_lock(&h->lock);
	while (h->listener == -1)
		pthread_cond_wait(&h->loaded, &h->lock);
	if (h->listener >= 0 && send_fd(h->sock, h->listener) < 0)
		h->error = errno ? errno : EIO;
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* In the child: filter, hand the listener over, exec. */
static int child(int sock, const sigset_t *mask, char *const command[], struct ol_error *err)
{
	struct handover h = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, sock, -1, 0 };
	pthread_t thread;
	int listener, e;

	sigprocmask(SIG_SETMASK, mask, NULL);
	/* Enforcing sets it too: the recorded run sees what the sandbox will. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		ol_error_errno(err, errno, "cannot set no_new_privs");
		return OL_EXIT_CANNOT_RUN;
	}
	if ((e = pthread_create(&thread, NULL, hand_over, &h)) != 0) {
		ol_error_errno(err, e, "cannot set up learning mode");
		return OL_EXIT_CANNOT_RUN;
	}
	listener = learn_filter_load(err);
	pthread_mutex_lock(&h.lock);
	h.listener = listener < 0 ? -2 : listener;
	pthread_cond_signal(&h.loaded);
	pthread_mutex_unlock(&h.lock);
	pthread_join(thread, NULL);
	if (listener < 0)
		return OL_EXIT_CANNOT_RUN;
	if (h.error) {
		ol_error_errno(err, h.error, "cannot pass the learning filter's listener");
		return OL_EXIT_CANNOT_RUN;
	}
	close(listener);
	close(sock);
	return launcher_exec(command, err);
}

struct supervisor {
	int listener;
	int signals;
	pid_t workload;
	int status; /* the workload's, once it has ended */
	bool ended;
	int record_error;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct ol_recording rec;
	struct learn_out out;
	bool save_failed; /* warned once; the final save reports */
};

static void reap(struct supervisor *s)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == s->workload) {
			s->status = status;
			s->ended = true;
		}
}

static void on_notification(struct supervisor *s)
{
	int r;

	memset(s->req, 0, sizeof(*s->req));
	if (seccomp_notify_receive(s->listener, s->req) < 0)
		return; /* the caller is gone */
	r = learn_record(s->listener, s->req, s->workload, &s->rec);
	if (r < 0 && !s->record_error)
		s->record_error = -r;
	s->out.dirty = true;
	memset(s->resp, 0, sizeof(*s->resp));
	s->resp->id = s->req->id;
	s->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* Fails only when the caller was killed meanwhile. */
	(void) seccomp_notify_respond(s->listener, s->resp);
}

/* Save what was recorded so far; a failure is said once, the run goes on. */
static void save(struct supervisor *s)
{
	struct ol_error err = { 0 };

	if (s->record_error || learn_out_save(&s->out, &s->rec, false, &err) == 0 || s->save_failed)
		return;
	s->save_failed = true;
	fprintf(stderr, "oci-landlock-exec: warning: %s (trying again as the run goes)\n", err.msg);
}

/* What a runtime sends to stop a container: SIGKILL may follow. */
static bool stopping(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT;
}

static void on_signal(struct supervisor *s)
{
	struct signalfd_siginfo si;

	if (read(s->signals, &si, sizeof(si)) != (ssize_t) sizeof(si))
		return;
	if (si.ssi_signo == SIGCHLD) {
		reap(s);
		return;
	}
	/* A terminal signals the whole foreground group, the workload too. */
	if (si.ssi_code != SI_KERNEL)
		kill(s->workload, (int) si.ssi_signo);
	if (stopping((int) si.ssi_signo) && s->out.dirty)
		save(s);
}

static void supervise(struct supervisor *s)
{
	reap(s);
	while (!s->ended) {
		struct pollfd p[2] = { { .fd = s->signals, .events = POLLIN },
				       { .fd = s->listener, .events = POLLIN } };
		int n = poll(p, s->listener >= 0 ? 2 : 1, learn_out_due(&s->out));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (learn_out_due(&s->out) == 0)
			save(s);
		if (p[1].revents & POLLIN)
			on_notification(s);
		else if (p[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			/* Nothing is under the filter any more. */
			close(s->listener);
			s->listener = -1;
		}
		if (p[0].revents & POLLIN)
			on_signal(s);
	}
}

/* Exit as the workload did. */
static int mirror(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		sigset_t set;
		(void) signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		(void) raise(sig);
		/* Still here: PID 1, which its own signals cannot kill. */
		return 128 + sig;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : OL_EXIT_CANNOT_RUN;
}

static void free_supervisor(struct supervisor *s)
{
	if (s->listener >= 0)
		close(s->listener);
	if (s->signals >= 0)
		close(s->signals);
	if (s->req)
		seccomp_notify_free(s->req, s->resp);
	ol_recording_free(&s->rec);
	learn_out_close(&s->out);
}

int learn_run(const char *file, bool exec_session, char *const command[], struct ol_error *err)
{
	struct supervisor s = { .listener = -1, .signals = -1, .out = { .dirfd = -1 } };
	sigset_t block, old;
	int sv[2], r;

	if (ol_recording_init(&s.rec) < 0 || seccomp_notify_alloc(&s.req, &s.resp) < 0) {
		free_supervisor(&s);
		ol_error_set(err, ENOMEM, "cannot set up learning mode");
		return OL_EXIT_CANNOT_RUN;
	}
	/* Saved first, empty: a recording that cannot be written stops us
	 * before the workload runs (learn-save.h). */
	if (learn_out_open(&s.out, file, exec_session, &s.rec, err) < 0) {
		free_supervisor(&s);
		return OL_EXIT_CANNOT_RUN;
	}
	if (exec_session) {
		const char *slash = strrchr(file, '/');
		int dir = slash ? (int) (slash - file + 1) : 0;
		fprintf(stderr,
			"oci-landlock-exec: learning: this exec session's recording is '%.*s%s'\n",
			dir, file, s.out.base);
	}
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	for (size_t i = 0; i < OL_ARRAY_SIZE(forwarded); i++)
		sigaddset(&block, forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	s.signals = signalfd(-1, &block, SFD_CLOEXEC);
	if (s.signals < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ol_error_errno(err, errno, "cannot set up learning mode");
		free_supervisor(&s);
		return OL_EXIT_CANNOT_RUN;
	}
	s.workload = fork();
	if (s.workload < 0) {
		ol_error_errno(err, errno, "cannot fork");
		close(sv[0]);
		close(sv[1]);
		free_supervisor(&s);
		return OL_EXIT_CANNOT_RUN;
	}
	if (s.workload == 0) {
		close(sv[0]);
		free_supervisor(&s);
		return child(sv[1], &old, command, err);
	}
	close(sv[1]);
	s.listener = recv_fd(sv[0]);
	close(sv[0]);
	supervise(&s);
	if (s.listener < 0 && !s.ended) {
		/* Only when poll() itself failed: wait without observing. */
		while (waitpid(s.workload, &s.status, 0) < 0 && errno == EINTR)
			;
	}
	r = s.record_error ? ol_error_errno(err, s.record_error, "cannot record")
			   : learn_out_save(&s.out, &s.rec, true, err);
	free_supervisor(&s);
	if (r < 0)
		return OL_EXIT_CANNOT_RUN;
	return mirror(s.status);
}
