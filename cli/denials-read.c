/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading Landlock's records for `denials`: from /dev/kmsg (one record per
 * read, EAGAIN at the end) or from a text log (auditd's, a saved dmesg),
 * keeping the denials since --since, every domain's "allocated" record
 * (it may come before --since), and what the kernel says it dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/array.h"
#include "common/cleanup.h"
#include "common/text.h"
#include "denials.h"

static struct ol_domain *add_domain(struct ol_denials *st, const char *id)
{
	struct ol_domain *d;

	for (size_t i = 0; i < st->n_domains; i++)
		if (strcmp(st->domains[i].id, id) == 0)
			return &st->domains[i];
	if (OL_ARRAY_RESERVE(st->domains, st->cap_domains, st->n_domains + 1) < 0)
		return NULL;
	d = memset(&st->domains[st->n_domains++], 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->pid = -1;
	d->born_ms = -1;
	return d;
}

static bool same(const struct ol_audit_record *a, const struct ol_audit_record *b)
{
	return !strcmp(a->blockers, b->blockers) && !strcmp(a->path, b->path) &&
	       a->port == b->port && a->bound == b->bound && a->opid == b->opid;
}

static bool after(long long ms, long long since_ms)
{
	return since_ms < 0 || ms < 0 || ms >= since_ms;
}

static int add_record(struct ol_denials *st, const struct ol_audit_record *rec)
{
	struct ol_domain *d;
	size_t di;

	if (rec->type == OL_AUDIT_SUPPRESSED) {
		if (after(rec->time_ms, st->since_ms))
			st->suppressed += rec->count;
		return 0;
	}
	if (rec->type == OL_AUDIT_LOST) {
		if (after(rec->time_ms, st->since_ms) && rec->count > st->lost)
			st->lost = rec->count;
		return 0;
	}
	d = add_domain(st, rec->domain);
	if (!d)
		return -ENOMEM;
	if (rec->type == OL_AUDIT_DOMAIN) {
		if (rec->allocated) {
			d->pid = rec->pid;
			d->born_ms = rec->time_ms;
		}
		return 0;
	}
	if (!after(rec->time_ms, st->since_ms))
		return 0;
	di = (size_t) (d - st->domains);
	for (size_t i = 0; i < st->n_denials; i++) {
		struct ol_denial *dn = &st->denials[i];
		if (dn->domain == di && same(&dn->rec, rec)) {
			dn->count++;
			if (rec->time_ms > dn->last_ms)
				dn->last_ms = rec->time_ms;
			return 0;
		}
	}
	if (OL_ARRAY_RESERVE(st->denials, st->cap_denials, st->n_denials + 1) < 0)
		return -ENOMEM;
	st->denials[st->n_denials++] =
		(struct ol_denial){ di, *rec, rec->time_ms, rec->time_ms, 1 };
	return 0;
}

static long long clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A /dev/kmsg record is "PRIORITY,SEQUENCE,MICROSECONDS,FLAGS;TEXT": the
 * time is since boot (what a line without audit(...) has, such as the
 * note of suppressed callbacks), made wall-clock time here.
 */
static long long kmsg_time(const char *buf, long long boot_ms)
{
	const char *p = strchr(buf, ',');
	uint64_t us;

	p = p ? strchr(p + 1, ',') : NULL;
	if (!p || ol_parse_uint(p + 1, strcspn(p + 1, ",;"), UINT64_MAX / 2, &us) < 0)
		return -1;
	return boot_ms + (long long) (us / 1000);
}

static int read_kmsg(const char *path, struct ol_audit_record *rec, struct ol_denials *st)
{
	long long boot_ms = clock_ms(CLOCK_REALTIME) - clock_ms(CLOCK_MONOTONIC);
	cleanup_close int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char buf[8192];
	ssize_t n;
	int r = 0;

	if (fd < 0)
		return -errno;
	while (r == 0 && (n = read(fd, buf, sizeof(buf) - 1)) != 0) {
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: go on */
		if (n < 0)
			break;
		buf[n] = '\0';
		if (ol_audit_parse(buf, rec) == OL_AUDIT_OTHER)
			continue;
		if (rec->time_ms < 0)
			rec->time_ms = kmsg_time(buf, boot_ms);
		r = add_record(st, rec);
	}
	return r;
}

int ol_denials_read(const char *path, bool kmsg, struct ol_denials *st)
{
	struct ol_audit_record rec;
	cleanup_fclose FILE *f = NULL;
	cleanup_free char *line = NULL;
	size_t cap = 0;
	int r = 0;

	if (kmsg)
		return read_kmsg(path, &rec, st);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (r == 0 && getline(&line, &cap, f) > 0)
		if (ol_audit_parse(line, &rec) != OL_AUDIT_OTHER)
			r = add_record(st, &rec);
	return r;
}

void ol_denials_free(struct ol_denials *st)
{
	free(st->domains);
	free(st->denials);
}
