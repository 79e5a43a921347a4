/* SPDX-License-Identifier: Apache-2.0 */
/* The audit status over netlink, and the printk rate limit. */
#include "audit-status.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"

/* Replies we read before giving up on the status: an ack, then the status. */
#define MAX_REPLIES 4

int ol_audit_status_get(struct ol_audit_status *st, struct ol_error *err)
{
	cleanup_close int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct timeval timeout = { .tv_sec = 2 };
	struct nlmsghdr req = {
		.nlmsg_len = NLMSG_LENGTH(0),
		.nlmsg_type = AUDIT_GET,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = 1,
	};

	if (fd < 0)
		return ol_error_errno(err, errno, "cannot open the audit netlink socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	if (sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof(kernel)) < 0)
		return ol_error_errno(err, errno, "cannot ask the kernel for the audit status");
	for (int i = 0; i < MAX_REPLIES; i++) {
		_Alignas(struct nlmsghdr) char buf[NLMSG_SPACE(sizeof(struct audit_status)) + 64];
		struct nlmsghdr *h = (struct nlmsghdr *) buf;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return ol_error_errno(err, errno, "no audit status from the kernel");
		if (!NLMSG_OK(h, (size_t) n))
			continue;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error)
				return ol_error_errno(err, -e->error,
						      "the kernel refused the audit status");
			continue;
		}
		if (h->nlmsg_type == AUDIT_GET &&
		    h->nlmsg_len >=
			    NLMSG_LENGTH(offsetof(struct audit_status, lost) + sizeof(uint32_t))) {
			struct audit_status a = { 0 };
			memcpy(&a, NLMSG_DATA(h),
			       h->nlmsg_len - NLMSG_LENGTH(0) < sizeof(a)
				       ? h->nlmsg_len - NLMSG_LENGTH(0)
				       : sizeof(a));
			*st = (struct ol_audit_status){ a.enabled, a.pid, a.rate_limit,
							a.backlog_limit, a.lost };
			return 0;
		}
	}
	return ol_error_set(err, EPROTO, "no audit status from the kernel");
}

static int read_number(const char *path, uint64_t *out, struct ol_error *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	int r = ol_read_kernel_file(path, 64, &text, &len, err);

	if (r < 0)
		return r;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (ol_parse_uint(text, len, UINT32_MAX, out) < 0)
		return ol_error_set(err, EINVAL, "'%s': not a number", path);
	return 0;
}

int ol_printk_ratelimit(uint64_t *interval, uint64_t *burst, struct ol_error *err)
{
	int r = read_number("/proc/sys/kernel/printk_ratelimit", interval, err);

	return r < 0 ? r : read_number("/proc/sys/kernel/printk_ratelimit_burst", burst, err);
}
