/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock denials: read Landlock's audit records and show them per
 * container.  A denial names its domain; the domain's "allocated" record
 * names the process that created it (the launcher, which became the
 * workload); that process's cgroup names the container (podman, CRI-O and
 * containerd all put the 64-hex container id in it).  A process that has
 * exited can no longer be placed: its denials are shown by pid.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/array.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "host/audit.h"

#define AUDIT_LOG  "/var/log/audit/audit.log"
#define AUDITD_PID "/run/auditd.pid"

struct domain {
	char id[32];
	long pid;
	char container[65]; /* "" when unknown */
};

struct denial {
	size_t domain; /* index in domains */
	struct ol_audit_record rec;
	unsigned count;
};

struct state {
	struct domain *domains;
	size_t n_domains, cap_domains;
	struct denial *denials;
	size_t n_denials, cap_denials;
};

static struct domain *find_domain(struct state *st, const char *id)
{
	for (size_t i = 0; i < st->n_domains; i++)
		if (strcmp(st->domains[i].id, id) == 0)
			return &st->domains[i];
	return NULL;
}

static struct domain *add_domain(struct state *st, const char *id)
{
	struct domain *d = find_domain(st, id);

	if (d)
		return d;
	if (OL_ARRAY_RESERVE(st->domains, st->cap_domains, st->n_domains + 1) < 0)
		return NULL;
	d = memset(&st->domains[st->n_domains++], 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->pid = -1;
	return d;
}

static bool same(const struct ol_audit_record *a, const struct ol_audit_record *b)
{
	return !strcmp(a->blockers, b->blockers) && !strcmp(a->path, b->path) &&
	       a->port == b->port && a->opid == b->opid;
}

static int add_record(struct state *st, const struct ol_audit_record *rec)
{
	struct domain *d = add_domain(st, rec->domain);
	size_t di;

	if (!d)
		return -ENOMEM;
	if (rec->type == OL_AUDIT_DOMAIN) {
		if (rec->allocated)
			d->pid = rec->pid;
		return 0;
	}
	di = (size_t) (d - st->domains);
	for (size_t i = 0; i < st->n_denials; i++) {
		if (st->denials[i].domain == di && same(&st->denials[i].rec, rec)) {
			st->denials[i].count++;
			return 0;
		}
	}
	if (OL_ARRAY_RESERVE(st->denials, st->cap_denials, st->n_denials + 1) < 0)
		return -ENOMEM;
	st->denials[st->n_denials++] = (struct denial){ di, *rec, 1 };
	return 0;
}

/* The first run of 64 hex digits in /proc/PID/cgroup: the container id. */
static void place(struct domain *d)
{
	cleanup_fclose FILE *f = NULL;
	char path[64], line[4096];

	if (d->pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%ld/cgroup", d->pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		for (char *p = line; *p; p++) {
			size_t n = 0;
			while (isxdigit((unsigned char) p[n]) && !isupper((unsigned char) p[n]))
				n++;
			if (n == 64) {
				memcpy(d->container, p, 64);
				d->container[64] = '\0';
				return;
			}
			p += n ? n - 1 : 0;
		}
	}
}

static int read_source(const char *path, bool kmsg, struct state *st)
{
	struct ol_audit_record *rec = malloc(sizeof(*rec));
	char *line = NULL;
	size_t cap = 0;
	int r = 0;

	if (!rec)
		return -ENOMEM;
	if (kmsg) {
		/* /dev/kmsg: one record per read(), EAGAIN at the end. */
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		char buf[8192];
		ssize_t n;
		if (fd < 0)
			r = -errno;
		while (r == 0 && (n = read(fd, buf, sizeof(buf) - 1)) != 0) {
			if (n < 0 && errno == EPIPE)
				continue; /* overwritten records: go on */
			if (n < 0)
				break;
			buf[n] = '\0';
			if (ol_audit_parse(buf, rec) != OL_AUDIT_OTHER)
				r = add_record(st, rec);
		}
		if (fd >= 0)
			close(fd);
	} else {
		cleanup_fclose FILE *f = fopen(path, "re");
		if (!f)
			r = -errno;
		while (r == 0 && getline(&line, &cap, f) > 0)
			if (ol_audit_parse(line, rec) != OL_AUDIT_OTHER)
				r = add_record(st, rec);
	}
	free(line);
	free(rec);
	return r;
}

static bool wanted(const struct domain *d, int n, char **ids)
{
	if (n == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (d->container[0] && !strncmp(d->container, ids[i], strlen(ids[i])))
			return true;
	return false;
}

static void print_denial(const struct denial *dn, FILE *out)
{
	char what[4200], fix[4200];

	if (dn->rec.path[0])
		snprintf(what, sizeof(what), "%s", dn->rec.path);
	else if (dn->rec.port >= 0)
		snprintf(what, sizeof(what), "port %ld", dn->rec.port);
	else if (dn->rec.opid >= 0)
		snprintf(what, sizeof(what), "pid %ld", dn->rec.opid);
	else
		snprintf(what, sizeof(what), "-");
	fprintf(out, "  %s %s", dn->rec.blockers, what);
	if (dn->count > 1)
		fprintf(out, " (%u times)", dn->count);
	if (ol_audit_suggest(&dn->rec, fix, sizeof(fix)))
		fprintf(out, ": allow with %s", fix);
	fprintf(out, "\n");
}

/* One group per domain with denials, in the order the domains appeared. */
static size_t print_groups(struct state *st, int n, char **ids, FILE *out)
{
	size_t shown = 0;

	for (size_t di = 0; di < st->n_domains; di++) {
		struct domain *d = &st->domains[di];
		bool header = false;
		place(d);
		if (!wanted(d, n, ids))
			continue;
		for (size_t i = 0; i < st->n_denials; i++) {
			if (st->denials[i].domain != di)
				continue;
			if (!header && d->container[0])
				fprintf(out, "container %.12s (pid %ld, Landlock domain %s)\n",
					d->container, d->pid, d->id);
			else if (!header)
				fprintf(out, "pid %ld (not in a container, or exited; domain %s)\n",
					d->pid, d->id);
			header = true;
			print_denial(&st->denials[i], out);
			shown++;
		}
	}
	return shown;
}

static bool auditd_runs(void)
{
	cleanup_free char *text = NULL;
	struct ol_error err = { 0 };
	char path[64];
	uint64_t pid;
	size_t len;

	if (ol_read_file(AUDITD_PID, 64, &text, &len, &err) < 0)
		return false;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (ol_parse_uint(text, len, INT32_MAX, &pid) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%llu", (unsigned long long) pid);
	return access(path, F_OK) == 0;
}

int ol_cli_denials(int argc, char **argv, FILE *out)
{
	struct state st = { 0 };
	const char *source = NULL;
	bool kmsg = false;
	int first = 1, r;
	size_t shown;

	if (argc > 2 && strcmp(argv[1], "--log") == 0) {
		source = argv[2];
		first = 3;
	} else {
		kmsg = !auditd_runs();
		source = kmsg ? "/dev/kmsg" : AUDIT_LOG;
	}
	for (int i = first; i < argc; i++) {
		if (argv[i][0] == '-') {
			fprintf(stderr,
				"oci-landlock: denials: unknown option '%s'\n"
				"Usage: oci-landlock denials [--log FILE] [CONTAINER...]\n",
				argv[i]);
			return 2;
		}
	}
	r = read_source(source, kmsg, &st);
	if (r < 0) {
		fprintf(stderr, "oci-landlock: cannot read '%s': %s\n", source, strerror(-r));
		free(st.domains);
		free(st.denials);
		return 1;
	}
	shown = print_groups(&st, argc - first, argv + first, out);
	if (!shown)
		fprintf(out,
			"no Landlock denials in %s%s\n(the kernel logs them once auditing is on: "
			"auditctl -e 1; Landlock ABI 7 and the launcher's default --log)\n",
			source, argc > first ? " for these containers" : "");
	free(st.domains);
	free(st.denials);
	return 0;
}
